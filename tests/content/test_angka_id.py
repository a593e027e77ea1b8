"""Numbers as Indonesians write them (issue 27, item 1): one reader for content files and workbook cells.

Each line of the issue's "Silent misreads" and "Decimal commas" has a test here, through the real
loader (YAML as written in a content file) and the real import-xlsx (a cell typed in the workbook)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from renstra_gen.content import model as m
from renstra_gen.content.angka_id import AngkaError, baca, tampak_angka, tulis
from renstra_gen.workflows.build import build
from renstra_gen.cli import main
from renstra_gen.errors import ContentError
from renstra_gen.content.load import load_content
from renstra_gen.content.yamlio import edit_yaml, load_yaml, validate
from tests.conftest import document_xml, table_rows

PROGRAM = "tabel/program.yaml"
BOOK = "renstra-arsip-kota-contoh-tabel.xlsx"


# ---------------------------------------------------------------- the reader, form by form

@pytest.mark.parametrize("text, rupiah, value", [
    ("1.500.000", True, Decimal(1500000)),
    ("250.000", True, Decimal(250000)),
    ("1.500", True, Decimal(1500)),
    ("1500000", True, Decimal(1500000)),
    ("Rp 1.500.000", True, Decimal(1500000)),
    ("Rp1.500.000", True, Decimal(1500000)),
    ("Rp. 1.500.000,-", True, Decimal(1500000)),
    ("1.500.000,00", True, Decimal(1500000)),
    ("-", True, None),
    (" 2.519.295.635 ", True, Decimal(2519295635)),
    ("85,5", False, Decimal("85.5")),
    ("1.250,75", False, Decimal("1250.75")),
    ("1.500", False, Decimal(1500)),
    ("0,5", False, Decimal("0.5")),
    ("-2,25", False, Decimal("-2.25")),
    ("15,0", False, Decimal("15.0")),
    ("60", False, Decimal(60)),
    ("-", False, None),
])
def test_each_form_reads_as_an_indonesian_means_it(text, rupiah, value):
    assert baca(text, rupiah=rupiah) == value
    if value is not None:
        assert str(baca(text, rupiah=rupiah)) == str(value)  # 15,0 keeps its written decimal


@pytest.mark.parametrize("text, rupiah, words", [
    ("2.5", False, ["tidak jelas", "2,5", "2.500"]),
    ("85.25", False, ["85,25", "85.250"]),
    ("2.5", True, ["tidak jelas", "Rupiah utuh", "2.500"]),
    ("2,5", True, ["Rupiah utuh", "tertulis '2,5'", "misalnya 3"]),
    ("1.250,75", True, ["Rupiah utuh", "misalnya 1.251"]),
    ("0.5", False, ["0,5"]),
    ("15.3700", False, ["titik hanya memisahkan ribuan", "85,5"]),
    ("1500.000", False, ["titik hanya memisahkan ribuan"]),
    ("1.50.000", True, ["titik hanya memisahkan ribuan"]),
    ("1,500,000", True, ["koma adalah tanda desimal"]),
    ("1.500.000,", True, ["koma adalah tanda desimal"]),
])
def test_a_form_that_could_be_misread_is_refused_with_how_to_write_it(text, rupiah, words):
    with pytest.raises(AngkaError) as e:
        baca(text, rupiah=rupiah)
    for w in words:
        assert w in str(e.value), str(e.value)


def test_text_that_is_not_written_as_a_number_is_left_to_the_field():
    for text in ("Belum ada Capaian", "60.300 &", "2.199 m2", "n/a", "", "-"):
        assert not tampak_angka(text)
    for text in ("1.500", "Rp 1.500.000,-", "85,5", "2.5", "-3"):
        assert tampak_angka(text)


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["{}", "Rp {}", "Rp{}", "Rp. {}", "{},-", "{},00"]),
       st.booleans())
def test_any_whole_amount_with_thousands_dots_reads_exactly(n, frame, plain):
    text = frame.format(str(n) if plain else grouped(n))
    assert baca(text, rupiah=True) == n
    assert baca(text) == n


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_any_decimal_with_a_comma_reads_exactly_and_a_fractional_pagu_never_passes(d):
    sign = "-" if d < 0 else ""
    whole, _, frac = format(abs(d), "f").partition(".")
    text = f"{sign}{grouped(int(whole))}" + (f",{frac}" if frac else "")
    assert baca(text) == d
    if d == d.to_integral_value():
        assert baca(text, rupiah=True) == d
    else:
        with pytest.raises(AngkaError, match="Rupiah utuh"):
            baca(text, rupiah=True)
    assert baca(tulis(d)) == d  # what the YAML writer puts back reads the same


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99), st.booleans(),
       st.booleans())
def test_a_dot_with_one_or_two_digits_is_never_guessed(a, b, two, rupiah):
    text = f"{a}.{b:02d}" if two else f"{a}.{b % 10}"
    with pytest.raises(AngkaError):
        baca(text, rupiah=rupiah)


# ---------------------------------------------------------------- the same forms in a content file


def sub_kegiatan(tmp_path: Path, line: str) -> m.SubKegiatan:
    """A sub kegiatan written with `line` (YAML) through the real loader and model."""
    p = tmp_path / "s.yaml"
    p.write_text(f"nama: Pembinaan\n{line}\n", encoding="utf-8")
    data, tree = load_yaml(p, "s.yaml")
    return validate(m.SubKegiatan, data, tree, "s.yaml")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**14), st.sampled_from(['{}', '"{}"', "'{}'", '"Rp {}"', "Rp {},-"]),
       st.booleans())
def test_any_pagu_written_with_thousands_dots_in_yaml_reads_exactly(tmp_path_factory, n, quoting, block):
    tmp = tmp_path_factory.mktemp("y")
    written = quoting.format(grouped(n))
    line = f"pagu:\n  2026: {written}" if block else f"pagu: {{2025: 1, 2026: {written}}}"
    assert sub_kegiatan(tmp, line).pagu[2026] == n


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False), st.booleans(),
       st.booleans())
def test_any_target_with_a_decimal_comma_in_yaml_reads_exactly(tmp_path_factory, d, quoted, block):
    tmp = tmp_path_factory.mktemp("y")
    whole, _, frac = format(d, "f").partition(".")
    text = grouped(int(whole)) + (f",{frac}" if frac else "")
    written = f'"{text}"' if quoted else text
    line = f"target:\n  2026: {written}\n  2027: 3" if block else f"target: {{2026: {written}, 2027: 3}}"
    assert sub_kegiatan(tmp, line).target == {2026: d, 2027: 3}


@pytest.mark.parametrize("line, message", [
    ("pagu: {2026: 2.5}", "pagu 2026: '2.5' tidak jelas"),
    ("pagu: {2026: 2,5}", "pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis '2,5'"),
    ("pagu: {2026: 1500000.5}", "'1500000.5' bukan angka yang sah: pagu ditulis dalam Rupiah utuh"),
    ("target: {2026: 1500000.5}", "desimal ditulis dengan koma, tulis 1500000,5"),
    ("pagu: {2026: '1.250,75'}", "pagu ditulis dalam Rupiah utuh"),
    ("target: {2026: 85.5}", "tulis 85,5 bila maksudnya desimal, atau 85.500 bila maksudnya ribuan"),
    ("target: {2026: 0.75}", "desimal ditulis dengan koma, tulis 0,75"),
])
def test_an_unclear_or_fractional_value_in_yaml_is_a_finding_at_its_line(tmp_path, line, message):
    with pytest.raises(ContentError) as e:
        sub_kegiatan(tmp_path, line)
    assert [str(f.source) for f in e.value.findings] == ["s.yaml:2"]
    assert message in e.value.findings[0].message, e.value.findings[0].message


def test_text_targets_and_dashes_stay_what_they_are(tmp_path):
    s = sub_kegiatan(tmp_path, "target: {2025: Belum ada Capaian, 2026: '-', 2027: 60.300 &}\npagu: {2026: '-'}")
    assert s.target == {2025: "Belum ada Capaian", 2026: None, 2027: "60.300 &"}
    assert s.pagu == {2026: None}


# ---------------------------------------------------------------- the lines, end to end


def edit_program(content: Path, old: str, new: str) -> None:
    p = content / PROGRAM
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pagu_250_000_is_two_hundred_fifty_thousand_in_the_model_and_in_the_jumlah_row(minimal, tmp_path):
    """Issue: `pagu: {2026: 250.000}` was read as 250 and Tabel 6.2's JUMLAH printed 250."""
    edit_program(minimal, "pagu: {2025: 50000000, 2026: 55000000,", "pagu: {2025: 50000000, 2026: 250.000,")
    content = load_content(minimal)
    sub = content.tables["program"].program[0].kegiatan[0].sub_kegiatan[0]
    assert sub.pagu[2026] == 250000
    build(minimal, tmp_path / "out")
    rows = table_rows(document_xml(tmp_path / "out" / "renstra-arsip-kota-contoh.docx"), "Tabel 2.1")
    sub_row = next(r for r in rows if "2.24.02.2.01.01" in r)
    assert "250.000" in sub_row and "250" not in sub_row
    jumlah = next(r for r in rows if any(c.upper().startswith("JUMLAH") for c in r))
    assert "80.250.000" in jumlah, jumlah  # 250.000 + 80.000.000 (+ no 2026 pagu of the third)


def test_pagu_1_500_is_one_thousand_five_hundred_not_one_and_a_half(minimal):
    """Issue: `1.500` was read as 1,5 and printed 2."""
    edit_program(minimal, "2026: 55000000,", "2026: 1.500,")
    sub = load_content(minimal).tables["program"].program[0].kegiatan[0].sub_kegiatan[0]
    assert sub.pagu[2026] == 1500


def test_pagu_with_two_or_more_dots_is_read_not_refused(minimal):
    """Issue: only two-dot values (`1.500.000`) were refused."""
    edit_program(minimal, "2026: 55000000,", "2026: 55.000.000,")
    edit_program(minimal, "2027: 60000000,", "2027: Rp 60.000.000,-,")
    sub = load_content(minimal).tables["program"].program[0].kegiatan[0].sub_kegiatan[0]
    assert (sub.pagu[2026], sub.pagu[2027]) == (55000000, 60000000)


def test_a_decimal_comma_inside_braces_is_a_decimal_not_a_year(minimal):
    """Issue: `{2026: 85,5}` gave "target tahun 5 di luar periode 2025–2029"."""
    edit_program(minimal, "target: {2025: 60, 2026: 65,", "target: {2025: 60, 2026: 85,5,")
    r = CliRunner().invoke(main, ["check", "--content", str(minimal)])
    assert "tahun 5" not in r.output and r.exit_code == 0, r.output
    assert load_content(minimal).tables["program"].program[0].target[2026] == Decimal("85.5")


def test_the_yaml_writer_puts_a_decimal_back_so_that_it_reads_the_same(tmp_path):
    text = "target: {2025: 85,5, 2026: 1.250,75}\npagu:\n  2026: 250.000\n"
    new = edit_yaml(text, [(("target", 2027), Decimal("2.25")), (("target", 2025), Decimal("85.5")),
                           (("pagu", 2026), Decimal(250000))])
    assert new == 'target: {2025: 85,5, 2026: 1.250,75, 2027: "2,25"}\npagu:\n  2026: 250.000\n'
    p = tmp_path / "s.yaml"
    p.write_text("nama: x\n" + new, encoding="utf-8")
    data, tree = load_yaml(p, "s.yaml")
    s = validate(m.SubKegiatan, data, tree, "s.yaml")
    assert s.target == {2025: Decimal("85.5"), 2026: Decimal("1250.75"), 2027: Decimal("2.25")}
    assert s.pagu == {2026: 250000}


# ---------------------------------------------------------------- workbook cells (import-xlsx)


@pytest.fixture
def book(minimal, tmp_path):
    build(minimal, tmp_path / "out")
    return minimal, tmp_path / "out" / BOOK


def import_cells(book_path: Path, content: Path, tmp: Path, cells: dict[str, object]):
    wb = load_workbook(book_path)
    for where, value in cells.items():
        sheet, ref = where.split("!")
        wb[sheet][ref] = value
    edited = tmp / "edited.xlsx"
    wb.save(edited)
    return CliRunner().invoke(main, ["import-xlsx", str(edited), "--content", str(content)])


def test_workbook_text_2_500_is_two_thousand_five_hundred_and_a_target_may_take_a_comma(book, tmp_path):
    """Issue: in import-xlsx the text `2.500` became 2 500 - and so it stays, by the same reader."""
    content, path = book
    r = import_cells(path, content, tmp_path, {"Tabel 2.1!G8": "2.500", "Tabel 2.1!I8": "Rp 1.500.000,-",
                                                "Tabel 2.1!F8": "85,5"})
    assert r.exit_code == 0, r.output
    sub = load_content(content).tables["program"].program[0].kegiatan[0].sub_kegiatan[0]
    assert (sub.pagu[2025], sub.pagu[2026], sub.target[2025]) == (2500, 1500000, Decimal("85.5"))


@pytest.mark.parametrize("value, message", [
    (2.5, "pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis 2,5; tulis misalnya 3"),
    ("2,5", "pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis '2,5'"),
    ("2.5", "'2.5' tidak jelas"),
    ("1.50.000", "bukan angka yang sah"),
])
def test_a_fractional_or_unclear_pagu_cell_is_refused(book, tmp_path, value, message):
    """Issue: a pagu of 2,5 was accepted from the workbook."""
    content, path = book
    before = (content / PROGRAM).read_bytes()
    r = import_cells(path, content, tmp_path, {"Tabel 2.1!G8": value})
    assert r.exit_code == 1
    assert any(ln.startswith("Tabel 2.1!G8: galat: ") and message in ln for ln in r.output.splitlines()), r.output
    assert (content / PROGRAM).read_bytes() == before


def test_an_unclear_target_cell_is_refused_not_kept_as_text(book, tmp_path):
    content, path = book
    r = import_cells(path, content, tmp_path, {"Tabel 2.1!F8": "2.5"})
    assert r.exit_code == 1 and "Tabel 2.1!F8: galat: '2.5' tidak jelas" in r.output, r.output


def test_the_default_content_reads_every_number_as_before(tmp_path):
    """The example's decimals are written with a comma; their values did not move (goldens hold)."""
    content = load_content(Path(__file__).resolve().parents[2] / "content")
    rec = content.indicators.get("penduduk-miskin")
    assert rec.kondisi_awal == Decimal("15.37") and rec.target[2026] == Decimal("14.70")
