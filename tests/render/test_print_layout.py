"""Print-grade pages, read back from LibreOffice's PDF: no word or number of the document broken
across two lines of one table cell, no (nearly) empty page, signature blocks with their text;
and in the workbook, rows tall enough for their text and "-" where the document prints one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from renstra_gen.workflows.build import build, build_renja
from tests.conftest import DEFAULT_CONTENT, FIXTURES
from tests.helpers import extended_minimal
from tests.printcheck import PAGE_NUMBER, column_lines, inspect, longest_one_word_run, read_pages, word_boxes

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and Poppler are installed by tools/install.sh --test")

DOCUMENTS = {
    "renstra": lambda out: build(DEFAULT_CONTENT, out, pdf=True),
    "renja-2024": lambda out: build_renja(DEFAULT_CONTENT, out, 2024, pdf=True),
    # with a Penunjang program first and an optional transition year (issue 28 items 4 and 10)
    "minimal": lambda out: build(extended_minimal(out.parent / f"{out.name}-content"), out, pdf=True),
    # F4 landscape Tabel 6.2 at its widest: baseline, Indikator Sasaran and transition-year columns
    "dp3a": lambda out: build(FIXTURES / "dp3a", out, pdf=True),
}


RESULTS: dict = {}  # each document's build result, by the name of its path's folder


@pytest.fixture(scope="module", params=list(DOCUMENTS))
def printed(request, tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp(request.param)
    result = DOCUMENTS[request.param](out)
    RESULTS[out] = result
    written = result.written
    return next(p for p in written if p.suffix == ".docx"), next(p for p in written if p.suffix == ".pdf")


def test_dp3a_penunjang_prints_first_under_its_own_heading(printed):
    """dp3a's Penunjang program names no sasaran (issue 28 item 4): its one cell across Tujuan, Sasaran
    and Indikator Sasaran over its rows prints first in Tabel 6.2, with no warning, and the print
    proof finds every cell."""
    docx, pdf = printed
    if "dp3a" not in docx.name:
        pytest.skip("the dp3a fixture's Penunjang")
    result = RESULTS[docx.parent]
    assert not [f for f in result.warnings if "2.08.01" in f.message or "sasaran tidak disebut" in f.message]
    assert result.proof is not None and not result.proof.findings
    pages = [" ".join(" ".join(pg.lines()).split()) for pg in read_pages(pdf)]
    (page,) = [t for t in pages if "Penunjang urusan pemerintahan" in t]  # Tabel 6.2's first page
    assert "Indikator Sasaran" in page
    assert page.index("Penunjang urusan") < page.index("2.08.01.2.01")
    # before the first tujuan's program (2.08.02), which follows on its own page or below
    first = min(i for i, t in enumerate(pages) if "2.08.02.2.01" in t.split() and "Unit Perangkat Daerah" in t)
    assert pages.index(page) < first or page.index("2.08.01.2.01") < page.index("2.08.02.2.01")


def _program_rows(pdf: Path) -> dict[str, list[str]]:
    """Tabel 6.2's rows as `pdftotext -layout` prints them, by the code they carry (first line of each)."""
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows: dict[str, list[str]] = {}
    for line in layout[layout.rindex("Rencana Program, Kegiatan"):].splitlines():  # the table, not the lists
        words = line.split()
        code = next((w for w in words[:4] if re.fullmatch(r"\d+\.\d+\.\d+(?:\.\d+\.\d+(?:\.\d+)?)?", w)), None)
        if code and code not in rows:
            rows[code] = words
    return rows


def test_minimal_penunjang_first_and_transition_year_dashes(printed):
    """The extended minimal fixture (issue 28 items 4 and 10): its Penunjang 2.24.01 names no sasaran and prints first
    in Tabel 2.1 (one-string form: under the table's one Tujuan/Sasaran cell), with no warning; with
    `tahun_transisi: opsional` only the Penunjang has 2030 figures, every other row prints "-" in the two
    'Tahun Transisi (2030)' columns and is not reported."""
    docx, pdf = printed
    if "arsip" not in docx.name:
        pytest.skip("the minimal fixture's Renstra")
    result = RESULTS[docx.parent]
    assert not [f for f in result.warnings if "2030" in f.message or "2.24.01" in f.message]
    rows = _program_rows(pdf)
    order = list(rows)
    assert order.index("2.24.01") < order.index("2.24.02") < order.index("2.24.03")
    text = " ".join(" ".join(pg.lines()) for pg in read_pages(pdf))
    assert "Tahun Transisi" in text and "(2030)" in text
    # last columns of a row: ... Kondisi Akhir K, Rp | Transisi K, Rp | Unit [| Lokasi]
    for code in ("2.24.01", "2.24.01.2.01", "2.24.01.2.01.01"):
        words = rows[code]
        assert words[words.index("DKP") - 1] == "12.000.000", words
    for code in ("2.24.02", "2.24.02.2.01", "2.24.02.2.01.01", "2.24.03", "2.24.03.2.01.01"):
        words = rows[code]
        at = words.index("DKP")
        assert words[at - 2:at] == ["-", "-"], words


def test_lampiran_rumus_and_keterangan_never_run_one_word_per_line(printed):
    """Issue 28 item 8: Lampiran 1's Keterangan column is wide enough for its text: on every page of the
    table no more than two lines in a row of it hold a single word (a column too narrow prints its text
    one word per line, as the issue saw for ~15 lines). Columns are read from PDF word boxes."""
    docx, pdf = printed
    pages = [ws for ws in word_boxes(pdf) if {"No", "Indikator", "Rumus", "Keterangan"} <= {w[4] for w in ws}]
    if not pages:
        pytest.skip("no Lampiran rumus indikator in this document")
    for ws in pages:
        cols = column_lines(ws, ["No", "Indikator", "Rumus", "Keterangan"])
        assert cols["Rumus"] and cols["Keterangan"]
        # (Rumus holds formulas: a fraction's or a sum's lines are single symbols by nature)
        assert longest_one_word_run(cols["Keterangan"]) <= 2, cols["Keterangan"]


def test_no_word_or_number_is_broken_inside_a_cell(printed):
    report = inspect(*printed)
    assert report.words == [] and report.numbers == []


def test_no_page_is_empty_or_holds_a_single_spilled_line(printed):
    assert inspect(*printed).near_empty == []


def test_no_page_ends_with_a_table_caption(printed):
    caption = re.compile(r"^(?:Tabel|Lampiran) \d+(?:\.\d+)?:? \S")
    for page in read_pages(printed[1]):
        blocks = [b for b in page.blocks if any(line for line in b)
                  and not PAGE_NUMBER.match(" ".join(" ".join(line) for line in b).strip())]
        if blocks:
            last = [" ".join(line) for line in blocks[-1]]
            # a caption, not an entry of the Daftar Tabel (those carry a dot leader)
            assert not (caption.match(last[0]) and not any("..." in line for line in last)), (page.number, last)


def test_a_signature_block_shares_its_page_with_the_text_before_it(printed):
    for page in read_pages(printed[1]):
        lines = page.lines()
        if any(line.startswith("NIP.") for line in lines):
            # the block ends with the page's last NIP line (a Halaman Verifikasi also lists verifiers' NIP above it)
            before = lines[:max(i for i, x in enumerate(lines) if x.startswith("NIP."))]
            # more than the block itself (place and date, office, name, rank: at most six lines)
            assert len(before) > 6, (page.number, lines)


def test_the_workbook_prints_whole_rows_and_dashes(tmp_path):
    """LibreOffice's print of the workbook: every word of every text cell is on the page (a row too
    low clips its last lines, and clipped text is not in the PDF), and an empty amount prints "-"
    as in the document."""
    from openpyxl import load_workbook

    from renstra_gen.render.metrics import pieces

    result = build(DEFAULT_CONTENT, tmp_path)
    xlsx = next(p for p in result.written if p.suffix == ".xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                   check=True, capture_output=True, timeout=600)
    printed = {w for page in read_pages(xlsx.with_suffix(".pdf")) for line in page.lines() for w in line.split()}
    wb = load_workbook(xlsx)
    missing = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str) and not c.value.startswith("="):
                    lost = [w for w in c.value.split() if not _covered(pieces(w), printed)]
                    if lost:
                        missing.append(f"{ws.title}!{c.coordinate}: {lost}")
    assert missing == []
    ws = wb["Tabel 6.2"]
    assert [c for row in ws.iter_rows() for c in row if c.value == "-"]  # sub kegiatan without pagu in 2021


def _covered(parts: list[str], printed: set[str]) -> bool:
    """Whether a word's pieces, joined into runs that stayed on one line, are all printed."""
    if not parts:
        return True
    return any("".join(parts[:i]) in printed and _covered(parts[i:], printed) for i in range(1, len(parts) + 1))
