"""Files from others are untrusted: each attack of issue 26 reproduced through the CLI, and refused.

Each test names the line of the issue's "Why" it reproduces. The journal, workbook-record and
output attacks run without LibreOffice; the signature ones build a small PDF with pyHanko."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from renstra_gen.atomic import JOURNAL
from renstra_gen.cli import main
from tests.certs import PASSWORD, make_ca, make_p12
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, env=None, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input)


@pytest.fixture
def received(tmp_path) -> Path:
    """A content folder received from someone else (a copy of the minimal set)."""
    dst = tmp_path / "diterima"
    shutil.copytree(FIXTURES / "minimal", dst)
    return dst


def plant(folder: Path, state: str, items: list[tuple[Path, Path]], mac: str | None = None) -> Path:
    """A journal as an attacker writes it (optionally with a made-up MAC)."""
    record = {"keadaan": state, "berkas": [[str(t), str(r)] for t, r in items]}
    if mac is not None:
        record["mac"] = mac
    path = folder / JOURNAL
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def blank_pdf(pages: int = 1) -> bytes:
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def with_field(pdf: bytes, name: str = "TTE_Penutup_Budi_Santoso", page: int = 0,
               box=(300, 100, 500, 200)) -> bytes:
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    append_signature_field(w, SigFieldSpec(sig_field_name=name, on_page=page, box=box))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def ca():
    return make_ca()


@pytest.fixture
def p12(ca, tmp_path):
    return make_p12(ca, tmp_path / "kepala.p12", "Budi Santoso")


@pytest.fixture
def signable(tmp_path) -> Path:
    """A one-page PDF with one empty signature field, in a folder of its own."""
    folder = tmp_path / "pdf"
    folder.mkdir()
    path = folder / "dokumen.pdf"
    path.write_bytes(with_field(blank_pdf()))
    return path


# ---------------------------------------------------------------- Why 1: the recovery journal


def test_a_planted_journal_does_not_make_build_delete_a_file_outside_the_folder(received, tmp_path):
    """Why (critical): a planted journal made `renstra build` delete a file outside the folder."""
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("jangan dihapus")
    journal = plant(received, "siapkan", [(victim, received / "renstra.yaml")])
    r = cli("build", "--content", received, "--out", tmp_path / "out")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert victim.read_text() == "jangan dihapus"
    assert "tidak dijalankan" in r.output and str(journal) in r.output
    assert journal.exists()  # reported and left alone, never obeyed


def test_a_planted_journal_does_not_make_check_overwrite_another_file(received, tmp_path):
    """Why (critical): `renstra check` overwrote another file with the attacker's payload."""
    victim = tmp_path / "catatan.txt"
    victim.write_text("asli")
    payload = received / ".catatan.txt.0badc0de.tmp"
    payload.write_text("muatan penyerang")
    plant(received, "terapkan", [(payload, victim)], mac="0" * 64)
    r = cli("check", "--content", received)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert victim.read_text() == "asli"
    assert payload.exists()


def test_a_planted_journal_in_a_cloned_repository_installs_no_git_hook(received, tmp_path):
    """Why (critical): in a cloned repository the journal installed an executable .git/hooks/pre-commit."""
    subprocess.run(["git", "init", "-q", str(received)], check=True)
    hooks = received / ".git" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    payload = hooks / ".pre-commit.deadbeef.tmp"
    payload.write_text("#!/bin/sh\ntouch " + str(tmp_path / "diretas") + "\n")
    payload.chmod(0o755)
    plant(received, "terapkan", [(payload, hooks / "pre-commit")])
    for command in (["check"], ["renja", "2026", "--out", tmp_path / "out"], ["perubahan", received]):
        r = cli(*command, "--content", received)
        assert "Traceback" not in r.output, r.output
        assert not (hooks / "pre-commit").exists(), command


def test_a_planted_journal_in_a_received_output_folder_is_not_obeyed_by_tandatangan(tmp_path, signable, p12):
    """Why (critical): `tandatangan` on a received folder deleted an unrelated file."""
    victim = tmp_path / "lain.txt"
    victim.write_text("tetap")
    folder = signable.parent
    plant(folder, "siapkan", [(victim, folder / "x.pdf")])
    r = cli("tandatangan", signable, "--p12", p12, env={"RENSTRA_P12_PASSWORD": PASSWORD})
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert victim.read_text() == "tetap"


def test_a_journal_of_this_user_from_a_killed_run_is_still_finished(minimal, tmp_path):
    """The journal still does its job: a committed write of this user is rolled forward."""
    from renstra_gen.atomic import _write_journal

    target = minimal / "indikator.yaml"
    tmp = minimal / ".indikator.yaml.0123abcd.tmp"
    tmp.write_text("baru")
    _write_journal(minimal / JOURNAL, "terapkan", [(tmp, Path(os.path.realpath(target)))])
    r = cli("check", "--content", minimal)
    assert target.read_text() == "baru" and not (minimal / JOURNAL).exists(), r.output
