"""renstra migrasi-kode on a copy of the default content: what maps by padding, what by name, what is left."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from renstra_gen.workflows.build import inspect
from renstra_gen.cli import main
from tests.conftest import DEFAULT_CONTENT

PROGRAM = "tabel/program-pendanaan.yaml"


@pytest.fixture
def belu(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, dst)
    return dst


def test_dry_run_maps_by_padding_and_by_name_and_writes_nothing(belu):
    before = {p: p.read_bytes() for p in belu.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["migrasi-kode", "--content", str(belu), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Sub kegiatan: 56 dengan padding, 10 menurut nama;" in out
    assert f"{PROGRAM}:373: sub kegiatan 1.06.04.2.01.01 → 1.06.04.2.01.0001 (padding)" in out
    # self-numbered Penunjang rows, by their official name inside the same kegiatan
    assert (f"{PROGRAM}:106: sub kegiatan 1.06.01.2.06.02 → 1.06.01.2.06.0004 "
            "(menurut nama resmi 'Penyediaan Bahan Logistik Kantor')") in out
    assert f"{PROGRAM}:49: sub kegiatan 1.06.01.2.01.04 → 1.06.01.2.01.0006" in out
    # what it cannot map is listed, with suggestions where the parent is known
    assert "tanpa kode 'Pemeliharaan Peralatan dan Mesin Lainnya' tidak dapat dipetakan; usulan: 1.06.01.2.09.0006" in out
    assert "--dry-run: tidak ada berkas yang diubah." in out
    assert before == {p: p.read_bytes() for p in belu.rglob("*") if p.is_file()}


def test_applied_to_a_copy_only_code_lines_change_and_check_finds_no_unknown_code(belu):
    old = {rel: (belu / rel).read_text(encoding="utf-8").split("\n") for rel in (PROGRAM, "renstra.yaml")}
    result = CliRunner().invoke(main, ["migrasi-kode", "--content", str(belu)])
    assert result.exit_code == 0, result.output
    for rel, lines in old.items():
        new = (belu / rel).read_text(encoding="utf-8").split("\n")
        assert len(new) == len(lines)
        changed = [(a, b) for a, b in zip(lines, new) if a != b]
        assert changed and all(("kode:" in b or b.startswith("nomenklatur:")) for _, b in changed)
        # everything around the code on the line (indentation, comments) is kept
        assert all(a.split("kode:")[0] == b.split("kode:")[0] for a, b in changed if "kode:" in a)
    assert '      - kode: "1.06.01.2.01"   # trailing dot as printed' in (belu / PROGRAM).read_text()
    findings = inspect(belu, collect=True)
    assert not [f for f in findings if f.is_error]
    assert not [f for f in findings if "tidak ada dalam nomenklatur" in f.message]
    assert not [f for f in findings if "adalah kode" in f.message]
    assert "nomenklatur: \"1317\"" in (belu / "renstra.yaml").read_text()


def test_another_office_names_decide_and_renja_codes_follow(minimal):
    """The minimal fixture: a row whose name is official elsewhere in its kegiatan maps by name, a row
    whose name is nowhere official is left and listed, and the Renja inputs follow their rows."""
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("nama: Pembinaan Kearsipan", "nama: Pemeliharaan dan Penyusutan Arsip Dinamis")
    p.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["migrasi-kode", "--content", str(minimal)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("tabel/program.yaml:20: sub kegiatan 2.24.02.2.01.01 → 2.24.02.2.01.0002 "
            "(menurut nama resmi 'Pemeliharaan dan Penyusutan Arsip Dinamis')") in out
    assert "tabel/program.yaml:26: sub kegiatan 2.24.02.2.01.02 'Penataan Arsip Inaktif' tidak dapat dipetakan" in out
    renja = (minimal / "renja" / "2027" / "renja.yaml").read_text(encoding="utf-8")
    assert renja.count('kode: "2.24.02.2.01.0002"') == 3 and renja.count('kode: "2.24.02.2.01.02"') == 3
    assert 'kode: "2.24.02.2.01.01"' not in renja
    assert '- kode: "2.24.02.2.01.0002"' in (minimal / "tabel" / "program.yaml").read_text(encoding="utf-8")


def test_to_the_later_update_similar_long_names_are_not_taken_for_each_other(belu):
    """In the later update 1.06.02.2.03.0001 (Pekerja Sosial Masyarakat) is dropped; its neighbour
    '... Sumber Kesejahteraan Sosial Kelembagaan Masyarakat ...' is 0.84 similar but another thing."""
    result = CliRunner().invoke(main, ["migrasi-kode", "--content", str(belu), "--ke", "pasca-1317", "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{PROGRAM}:316: sub kegiatan 1.06.02.2.03.01 'Peningkatan Kemampuan Potensi Pekerja Sosial" in out
    assert "1.06.02.2.03.01 →" not in out and "1.06.02.2.03.02 →" not in out
    assert f"{PROGRAM}:606: sub kegiatan 1.06.05.2.02.02 → 1.06.05.2.02.0008 (menurut nama resmi" in out
