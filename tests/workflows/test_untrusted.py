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

from renstra_gen.system.atomic import JOURNAL
from renstra_gen.cli import main
from tests.certs import PASSWORD, make_ca, make_p12
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


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
    from renstra_gen.system.atomic import _write_journal

    target = minimal / "indikator.yaml"
    tmp = minimal / ".indikator.yaml.0123abcd.tmp"
    tmp.write_text("baru")
    _write_journal(minimal / JOURNAL, "terapkan", [(tmp, Path(os.path.realpath(target)))])
    r = cli("check", "--content", minimal)
    assert target.read_text() == "baru" and not (minimal / JOURNAL).exists(), r.output


# ---------------------------------------------------------------- Why 4: the workbook record

BOOK = "renstra-arsip-kota-contoh-tabel.xlsx"


def read_payload(wb) -> tuple[dict, dict]:
    import base64
    import zlib

    ws = wb["renstra-asal"]
    header = json.loads(ws["A1"].value)
    parts, row = [], 2
    while isinstance(ws.cell(row=row, column=1).value, str):
        parts.append(ws.cell(row=row, column=1).value)
        row += 1
    return header, json.loads(zlib.decompress(base64.b64decode("".join(parts))))


def write_payload(wb, header: dict, payload: bytes, key: bytes | None = None) -> None:
    """The record replaced as an attacker does: checksums recomputed (and the MAC too when `key` is known)."""
    import base64
    import hashlib
    import zlib

    ws = wb["renstra-asal"]
    blob = base64.b64encode(zlib.compress(payload)).decode()
    header = dict(header, sha256=hashlib.sha256(payload).hexdigest())
    if "isi" in header:
        header["isi"] = hashlib.sha256(blob.encode()).hexdigest()
    if key is not None:
        from renstra_gen.render import xlsx_record

        if hasattr(xlsx_record, "_mac"):  # (c03f676 had no MAC: the same test runs against it)
            header["mac"] = xlsx_record._mac(key, header)
    ws["A1"] = json.dumps(header, sort_keys=True)
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=1).value = None
    for i in range(0, len(blob), 30000):
        ws.cell(row=2 + i // 30000, column=1, value=blob[i:i + 30000])


def forge(book: Path, dst: Path, mutate, cells: dict | None = None, key: bytes | None = None,
          hide: tuple[str, str] | None = None) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(book)
    header, record = read_payload(wb)
    mutate(record)
    write_payload(wb, header, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), key)
    for where, value in (cells or {}).items():
        sheet, ref = where.split("!")
        wb[sheet][ref] = value
    if hide:
        wb[hide[0]].column_dimensions[hide[1]].hidden = True
    wb.save(dst)
    return dst


def cell_entry(record: dict, sheet: str, ref: str) -> list:
    return next(c for c in record["lembar"][sheet]["sel"] if c[0] == ref)


@pytest.fixture
def built(minimal, tmp_path):
    from renstra_gen.workflows.build import build

    build(minimal, tmp_path / "out")
    return minimal, tmp_path / "out" / BOOK


def own_key(content: Path) -> bytes:
    """The content set's record key, as anyone holding the folder can read it."""
    return bytes.fromhex((content / ".renstra-kunci").read_text().strip())


def import_(book, content):
    return cli("import-xlsx", book, "--content", content)


@pytest.mark.parametrize("knows_key", [False, True], ids=["forged-checksum", "forged-with-the-key"])
def test_a_hidden_cell_added_to_the_record_writes_nothing(built, tmp_path, knows_key):
    """Why (medium): a hidden cell Tabel 2.1!AZ200 added to the record wrote a pagu; the visible cell unchanged."""
    content, book = built
    before = (content / "tabel" / "program.yaml").read_bytes()

    def add(record):
        k9 = cell_entry(record, "Tabel 2.1", "K9")
        record["lembar"]["Tabel 2.1"]["sel"].append(["AZ200", k9[1], k9[2], k9[3]])

    bad = forge(book, tmp_path / "e.xlsx", add, {"Tabel 2.1!AZ200": 999999999}, own_key(content) if knows_key else None,
                hide=("Tabel 2.1", "AZ"))
    r = import_(bad, content)
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert ("Tabel 2.1!AZ200: galat:" if knows_key else "renstra-asal!A1: galat:") in r.output, r.output
    assert (content / "tabel" / "program.yaml").read_bytes() == before


@pytest.mark.parametrize("knows_key", [False, True], ids=["forged-checksum", "forged-with-the-key"])
def test_a_pagu_cell_repointed_to_the_indicators_writes_nothing(built, tmp_path, knows_key):
    """Why (medium): a pagu cell re-pointed to indikator.yaml wrote an indicator target."""
    content, book = built
    before = (content / "indikator.yaml").read_bytes()

    def repoint(record):
        target = cell_entry(record, "Tabel 3.1", "E6")
        pagu = cell_entry(record, "Tabel 2.1", "K9")
        rows = record["lembar"]["Tabel 2.1"]["baris"]
        rows.append(record["lembar"]["Tabel 3.1"]["baris"][target[3][0]])
        pagu[3] = [len(rows) - 1, target[3][1], target[3][2]]
        pagu[1], pagu[2] = target[1], target[2]

    bad = forge(book, tmp_path / "e.xlsx", repoint, {"Tabel 2.1!K9": 12}, own_key(content) if knows_key else None)
    r = import_(bad, content)
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert ("Tabel 2.1!K9: galat:" if knows_key else "renstra-asal!A1: galat:") in r.output, r.output
    assert (content / "indikator.yaml").read_bytes() == before


def test_a_forged_old_value_does_not_turn_a_conflict_into_a_silent_revert(built, tmp_path):
    """Why (medium): a forged "old value" reverted a colleague's change without --paksa."""
    content, book = built
    program = content / "tabel" / "program.yaml"
    from openpyxl import load_workbook

    built_value = load_workbook(book)["Tabel 2.1"]["K9"].value
    text = program.read_text(encoding="utf-8")
    colleague = text.replace(str(int(built_value)), str(int(built_value) + 1000), 1)
    assert colleague != text
    program.write_text(colleague, encoding="utf-8")  # a colleague's change since the build

    def claim(record):
        cell_entry(record, "Tabel 2.1", "K9")[2] = str(int(built_value) + 1000)  # "it was already so"

    bad = forge(book, tmp_path / "e.xlsx", claim, {"Tabel 2.1!K9": built_value})
    r = import_(bad, content)
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert "renstra-asal!A1: galat:" in r.output
    assert program.read_text(encoding="utf-8") == colleague


def test_a_workbook_built_from_another_office_content_is_refused(built, tmp_path):
    """Why (medium): a workbook built from another office's content was imported (only a note)."""
    from renstra_gen.workflows.build import build

    content, _ = built
    other = tmp_path / "kantor-lain"
    shutil.copytree(FIXTURES / "minimal", other)
    (other / ".renstra-kunci").unlink(missing_ok=True)  # another office: a key of its own, made by its first build
    build(other, tmp_path / "out-lain")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "out-lain" / BOOK)
    wb["Tabel 2.1"]["K9"] = 86500000
    wb.save(tmp_path / "lain.xlsx")
    before = (content / "tabel" / "program.yaml").read_bytes()
    r = import_(tmp_path / "lain.xlsx", content)
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert "renstra-asal!A1: galat:" in r.output and "konten lain" in r.output
    assert (content / "tabel" / "program.yaml").read_bytes() == before


@pytest.mark.parametrize("knows_key", [False, True], ids=["forged-checksum", "forged-with-the-key"])
def test_a_zlib_bomb_record_is_a_finding_within_100_mb(built, tmp_path, knows_key):
    """Why (medium): a 74 KB workbook whose record is a zlib bomb reached 1.9 GB and a MemoryError."""
    from tests.bombs import record_bomb, run_bounded

    content, book = built
    args = record_bomb(content, book=book, key=own_key(content) if knows_key else None)
    r = run_bounded(args, content, tmp_path / "o", memory_mb=1500, timeout=60)
    assert r.code == 1, r.output
    assert "Traceback" not in r.output and "renstra-asal!A" in r.output
    assert r.peak_mb < 100 + baseline_mb(), (r.peak_mb, r.output)


def baseline_mb() -> float:
    """The resident memory of `renstra --help` (the interpreter and the imports)."""
    from tests.bombs import run_bounded

    return run_bounded(["--help"], Path("."), Path("/tmp/renstra-help-out"), timeout=30).peak_mb


@pytest.mark.parametrize("payload, where", [
    (b'{"lembar":{"Tabel 2.1":{"sel":[[["x"],"n","1",null]],"baris":[]}},"indeks":[]}', "renstra-asal!A2"),
    (b'{"lembar":{"Tabel 2.1":{"sel":[["K9","n","1",[5,["pagu"],"pagu"]]],"baris":[]}},"indeks":[]}', "renstra-asal!A2"),
    (b'{"lembar":{"Tabel 2.1":{"sel":[["K9","n","dua ribu",null]],"baris":[]}},"indeks":[]}', "renstra-asal!A2"),
    (b'[1, 2]', "renstra-asal!A2"),
])
def test_a_malformed_record_is_a_finding_not_a_traceback(built, tmp_path, payload, where):
    """Why (low): malformed records gave tracebacks (unhashable list, IndexError, 'dua ribu')."""
    from openpyxl import load_workbook

    content, book = built
    wb = load_workbook(book)
    header, _ = read_payload(wb)
    write_payload(wb, header, payload, own_key(content))  # even with the key: the shape is checked
    wb.save(tmp_path / "e.xlsx")
    r = import_(tmp_path / "e.xlsx", content)
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert isinstance(r.exception, SystemExit), r.exception
    assert f"{where}: galat:" in r.output, r.output


# ---------------------------------------------------------------- Why 2 and 5: attached PDFs

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and Poppler are installed by tools/install.sh --test")
ATTACHED = "renja/2026/lampiran/berita-acara-forum-pd.pdf"


def hostile_pdf(lines: list[str]) -> bytes:
    """One page that prints `lines` and carries JavaScript on opening, a Launch link (calc.exe), an
    embedded file and a form field: what an attached PDF from elsewhere may hold."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                               TextStringObject)

    def d(**kv):
        return DictionaryObject({NameObject(f"/{k}"): v for k, v in kv.items()})

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = w._add_object(d(Type=NameObject("/Font"), Subtype=NameObject("/Type1"), BaseFont=NameObject("/Helvetica")))
    page[NameObject("/Resources")] = d(Font=d(F1=font))
    text = " ".join("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 10 Tf 13 TL 330 300 Td {text} ET".encode("latin-1"))
    page[NameObject("/Contents")] = w._add_object(stream)
    js = w._add_object(d(S=NameObject("/JavaScript"), JS=TextStringObject("app.alert('diretas')")))
    w._root_object[NameObject("/OpenAction")] = js
    page[NameObject("/AA")] = d(O=js)
    rect = ArrayObject([FloatObject(v) for v in (0, 0, 595, 842)])
    launch = w._add_object(d(Type=NameObject("/Annot"), Subtype=NameObject("/Link"), Rect=rect,
                             A=d(S=NameObject("/Launch"), F=TextStringObject("calc.exe"))))
    widget = w._add_object(d(Type=NameObject("/Annot"), Subtype=NameObject("/Widget"), FT=NameObject("/Tx"),
                             T=TextStringObject("isian_penyerang"), Rect=rect,
                             AA=d(K=js)))
    page[NameObject("/Annots")] = ArrayObject([launch, widget])
    w._root_object[NameObject("/AcroForm")] = d(Fields=ArrayObject([widget]))
    w.add_attachment("pembaruan.exe", b"MZ-muatan-penyerang")
    names = w._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = d(Names=ArrayObject([TextStringObject("x"), js]))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def clean_renja(tmp_path_factory):
    """The dp3a Renja 2026 PDF as built from its own attachments: where the Penutup's field is."""
    from renstra_gen.workflows.build import build_renja

    out = tmp_path_factory.mktemp("renja-bersih")
    result = build_renja(FIXTURES / "dp3a", out, 2026, pdf=True, proof=False)
    return next(p for p in result.written if p.suffix == ".pdf").read_bytes()


def signature_field(data: bytes) -> tuple[str, int, dict]:
    """(name, 0-based page, signatory details) of the PDF's one signature field."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    from renstra_gen.tte.field import field_details

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    pages = [reader.find_page_for_modification(i)[0].idnum for i in range(int(reader.root["/Pages"]["/Count"]))]
    [(name, _, ref)] = list(enumerate_sig_fields(reader))
    field = ref.get_object()
    return name, pages.index(field.get_value_as_reference("/P").idnum), field_details(field)


@needs_office
def test_an_attachment_with_a_copy_of_the_block_and_active_content_changes_nothing_in_the_renja(dp3a, tmp_path,
                                                                                                   clean_renja):
    """Why (high): an attached PDF with a copy of the Penutup's block received the Kepala's field.
    Why (medium): an attached PDF's JavaScript (/AA) and a Launch action (calc.exe) reached the signed Renja."""
    name, page, details = signature_field(clean_renja)
    block = [*details["Pembuka"].split("\n"), details["Jabatan"], "", details["Nama"], f"NIP. {details['NIP']}"]
    (dp3a / ATTACHED).write_bytes(hostile_pdf(block))
    r = cli("renja", "2026", "--pdf", "--no-proof", "--verbose", "--content", dp3a, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    pdf = (tmp_path / "out" / "renja-2026.pdf").read_bytes()
    problems = []
    if signature_field(pdf)[:2] != (name, page):  # on the Penutup's page, not on the attachment's
        problems.append(f"field on page {signature_field(pdf)[1]}, the Penutup is on {page}")
    problems += [active for active in (b"/JavaScript", b"/Launch", b"calc.exe", b"app.alert", b"/EmbeddedFile",
                                       b"isian_penyerang", b"MZ-muatan") if active in pdf]
    assert not problems
    assert "JavaScript" in r.output and "dibuang" in r.output  # said so


# ---------------------------------------------------------------- Why 5: the .p12 iteration bomb


def iteration_bomb(p12: Path, dst: Path, rounds: int = 2**31 - 1) -> Path:
    """The certificate with its MAC's key-derivation count set to `rounds` (OpenSSL derives before it checks)."""
    from asn1crypto import pkcs12, tsp  # noqa: F401 - tsp first: asn1crypto caches its OID
    # names on first use, and a cache made before tsp registers 'tst_info' breaks time stamps later

    pfx = pkcs12.Pfx.load(p12.read_bytes())
    pfx["mac_data"]["iterations"] = rounds
    dst.write_bytes(pfx.dump(force=True))
    return dst


def renstra_child(*args, timeout: float, env: dict | None = None, cwd: Path = ROOT):
    """The CLI in a child process: (exit code or None when killed at `timeout`, output, seconds)."""
    import time

    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "renstra_gen", *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), timeout
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


def test_a_p12_with_an_iteration_bomb_is_a_finding_within_5_seconds(signable, p12, tmp_path):
    """Why (medium): a .p12 with a key-derivation count of 2^31-1 hangs `tandatangan`."""
    bomb = iteration_bomb(p12, tmp_path / "bom.p12")
    code, output, seconds = renstra_child("tandatangan", signable, "--p12", bomb, timeout=20,
                                          env={"RENSTRA_P12_PASSWORD": PASSWORD})
    assert code == 1 and seconds < 5, (code, seconds, output)
    assert "putaran penurunan kunci" in output and "Traceback" not in output
    assert not signable.with_name("dokumen-ttd.pdf").exists()


def test_a_p12_that_opens_too_slowly_is_stopped_by_the_timeout(p12):
    """The second bound: a count the cap cannot see (or a slow machine) ends at the timeout."""
    from renstra_gen.tte.p12guard import BoundError, within_time

    slow = iteration_bomb(p12, p12.with_name("lambat.p12"), rounds=900_000_000)
    with pytest.raises(BoundError, match="tidak selesai dibuka dalam 0.5 detik"):
        within_time(slow.read_bytes(), PASSWORD.encode(), seconds=0.5)


# ---------------------------------------------------------------- Why 3: a second signer's overlay


def overlay(signed: Path, ca, tmp_path: Path) -> Path:
    """A second valid signature (same root) whose new visible field draws a changed pagu over page 1."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    other = make_p12(ca, tmp_path / "orang-lain.p12", "Orang Lain")
    signer = signers.SimpleSigner.load_pkcs12(str(other), passphrase=PASSWORD.encode())
    w = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Sisipan", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer, new_field_spec=fields.SigFieldSpec(
        "Sisipan", on_page=0, box=(40, 400, 560, 600)),
        stamp_style=TextStampStyle(stamp_text="PAGU PROGRAM DIUBAH MENJADI Rp 99.000.000.000", border_width=0))
    out = tmp_path / "ditimpa.pdf"
    with open(out, "wb") as f:
        pdf_signer.sign_pdf(w, output=f)
    return out


def test_a_second_signature_that_overlays_the_document_fails_periksa_ttd(signable, p12, ca, tmp_path):
    """Why (high): a second valid signature whose stamp draws a changed pagu passed periksa-ttd, rc 0."""
    r = cli("tandatangan", signable, "--p12", p12, env={"RENSTRA_P12_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.output
    signed = signable.with_name("dokumen-ttd.pdf")
    root = ca.write_pem(tmp_path / "akar.pem")
    sound = cli("periksa-ttd", signed, "--akar", root)
    assert sound.exit_code == 0, sound.output  # one signature: sound
    r = cli("periksa-ttd", overlay(signed, ca, tmp_path), "--akar", root)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "DocMDP" in r.output and "bermasalah" in r.output
    assert "DocMDP) tingkat 2" in sound.output  # the first signature certified the document


# ---------------------------------------------------------------- Why 5 and 7: perubahan on a received repository


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A received repository whose one commit holds the minimal content in konten/."""
    top = tmp_path / "repo"
    shutil.copytree(FIXTURES / "minimal", top / "konten")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "awal")
    return top


def test_perubahan_runs_no_filter_of_a_received_repository(repo, tmp_path):
    """Why (low): `perubahan` on a repository received with its .git ran that repository's smudge filter."""
    marker = tmp_path / "filter-dijalankan"
    (repo / ".gitattributes").write_text("*.yaml filter=jahat\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "atribut")
    git(repo, "config", "filter.jahat.smudge", f"touch {marker}; cat")
    r = cli("perubahan", "HEAD", "--content", repo / "konten", "--out", tmp_path / "out")
    assert "Traceback" not in r.output, r.output
    assert not marker.exists()


def test_a_large_blob_in_a_revision_is_a_finding_before_it_is_read(repo, tmp_path):
    """Why (medium): a 1.5 GB blob in a git revision made `perubahan` take 3 GB and write 1.4 GB to /tmp."""
    from renstra_gen.content import limits

    size = max(limits.ATTACHMENT_BYTES, limits.XLSX_BYTES, limits.YAML_BYTES) + 1024 * 1024
    with open(repo / "konten" / "lampiran-besar.pdf", "wb") as f:
        f.truncate(size)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "besar")
    (repo / "konten" / "lampiran-besar.pdf").unlink()
    code, output, seconds = renstra_child("perubahan", "HEAD", "--content", repo / "konten", "--out", tmp_path / "out",
                                          timeout=60, env={"TMPDIR": str(tmp_path)})
    assert code == 1 and "Traceback" not in output, output
    assert "HEAD:konten/lampiran-besar.pdf: galat: berukuran" in output
    assert not list(tmp_path.glob("renstra-perubahan*"))  # nothing written, nothing left


def test_perubahan_replaces_a_symlinked_output_instead_of_writing_through_it(repo, tmp_path):
    """Why (medium): perubahan's outputs wrote through a symlink into the file it points to."""
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("asli")
    out = tmp_path / "out"
    out.mkdir()
    link = out / "renstra-arsip-kota-contoh-perubahan.xlsx"
    link.symlink_to(victim)
    r = cli("perubahan", "HEAD", "--content", repo / "konten", "--out", out)
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "asli"
    assert not link.is_symlink() and link.read_bytes()[:2] == b"PK"


def test_tandatangan_replaces_a_symlinked_output_and_keeps_the_input_mode(signable, p12, tmp_path):
    """Why (medium): `tandatangan --keluar` wrote through a symlink; (low) a 0600 PDF gave a 0644 signed copy."""
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("asli")
    target = signable.with_name("dokumen-ttd.pdf")
    target.symlink_to(victim)  # planted in the received folder
    signable.chmod(0o600)
    r = cli("tandatangan", signable, "--p12", p12, env={"RENSTRA_P12_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "asli"
    assert not target.is_symlink() and target.read_bytes()[:5] == b"%PDF-"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    out = tmp_path / "keluar.pdf"
    out.symlink_to(victim)
    signable2 = signable.with_name("kedua.pdf")
    signable2.write_bytes(with_field(blank_pdf()))
    r = cli("tandatangan", signable2, "--p12", p12, "--keluar", out, env={"RENSTRA_P12_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "asli" and not out.is_symlink()


# ---------------------------------------------------------------- Why 7: temporaries of killed imports


def test_a_terminated_import_leaves_no_copy_and_a_killed_one_is_swept_by_the_next(built, tmp_path):
    """Why (low): killed imports left `renstra-impor-*` copies in the temporary folder."""
    import signal
    import time

    from openpyxl import load_workbook

    content, book = built
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    stale = scratch / "renstra-impor.dibunuh"  # what a SIGKILLed run left (a minute ago)
    legacy = scratch / "renstra-impor-lama"  # what a SIGKILLed run of c03f676 left (two days ago)
    busy = scratch / "renstra-impor-sedang"  # a run of c03f676 going on now: kept
    for folder, age in ((stale, 120), (legacy, 2 * 86400), (busy, 0)):
        (folder / "konten").mkdir(parents=True)
        (folder / "konten" / "renstra.yaml").write_text("salinan")
        os.utime(folder, (time.time() - age, time.time() - age))
    wb = load_workbook(book)
    wb["Tabel 2.1"]["K9"] = 86500000
    wb.save(tmp_path / "e.xlsx")
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "renstra_gen", "import-xlsx", str(tmp_path / "e.xlsx"),
                             "--content", str(content)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    seen = False
    while time.monotonic() < deadline and proc.poll() is None:
        if [p for p in scratch.glob("renstra-impor.*") if p != stale]:
            seen = True
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.005)
    proc.wait(timeout=60)
    assert seen, proc.stdout.read().decode()
    assert not stale.exists() and not legacy.exists()  # swept at the start of the next import
    assert list(scratch.iterdir()) == [busy], list(scratch.iterdir())  # and its own copy removed on SIGTERM


def test_with_the_key_a_forged_old_value_still_loses_to_the_content_history(repo, tmp_path):
    """Why (medium), again for one who holds the key: the base comes from the content's own git
    history (the commit the workbook was built from), never from the value the workbook claims."""
    from openpyxl import load_workbook

    from renstra_gen.workflows.build import build

    content = repo / "konten"
    build(content, tmp_path / "out")
    book = tmp_path / "out" / BOOK
    built_value = load_workbook(book)["Tabel 2.1"]["K9"].value
    program = content / "tabel" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    colleague = text.replace(str(int(built_value)), str(int(built_value) + 1000), 1)
    program.write_text(colleague, encoding="utf-8")
    git(repo, "commit", "-qam", "rekan mengubah pagu")

    def claim(record):
        cell_entry(record, "Tabel 2.1", "K9")[2] = str(int(built_value) + 1000)

    bad = forge(book, tmp_path / "e.xlsx", claim, {"Tabel 2.1!K9": built_value}, own_key(content))
    r = import_(bad, content)
    assert "Traceback" not in r.output, r.output
    assert program.read_text(encoding="utf-8") == colleague, r.output  # the colleague's change stays
    # and an honest edit of the same cell on the same workbook is the conflict it is
    honest = forge(book, tmp_path / "f.xlsx", lambda record: None, {"Tabel 2.1!K9": built_value + 5000},
                   own_key(content))
    r = import_(honest, content)
    assert r.exit_code == 1 and "konflik" in r.output, r.output
    assert program.read_text(encoding="utf-8") == colleague
