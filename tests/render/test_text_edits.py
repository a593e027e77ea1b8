"""What an incremental conversion may apply (render/text_edits.py): run texts only, located for certain."""

from __future__ import annotations

import io
import zipfile

from renstra_gen.render.text_edits import counts, Edit, text_edits

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str, styles: str = "<w:styles/>") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f'<w:document {W}><w:body>{body}</w:body></w:document>')
        z.writestr("word/styles.xml", styles)
    return buf.getvalue()


def _cell(text: str) -> str:
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def _table(*rows: tuple[str, ...]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(_cell(c) for c in row) + "</w:tr>" for row in rows) + "</w:tbl>"


def test_a_changed_pagu_is_one_edit_at_its_occurrence_keeping_the_unchanged_digits():
    old = _docx("<w:p><w:r><w:t>Tabel 1</w:t></w:r></w:p>"
                + _table(("A", "15.000.000"), ("B", "15.000.000"), ("Jumlah", "30.000.000")))
    new = _docx("<w:p><w:r><w:t>Tabel 1</w:t></w:r></w:p>"
                + _table(("A", "15.000.000"), ("B", "15.001.000"), ("Jumlah", "30.001.000")))
    edits = text_edits(old, new)
    assert edits == [Edit("15.000.000", 1, 5, "0", "1", 2), Edit("30.000.000", 0, 5, "0", "1", 1)]
    assert counts(edits) == {"15.000.000": 2, "30.000.000": 1}


def test_the_same_document_needs_no_edit():
    doc = _docx(_table(("A", "1")))
    assert text_edits(doc, doc) == []


def test_occurrences_count_inside_longer_paragraphs_as_a_search_finds_them():
    old = _docx("<w:p><w:r><w:t>pagu 150 dan 150</w:t></w:r></w:p><w:p><w:r><w:t>150</w:t></w:r></w:p>")
    new = _docx("<w:p><w:r><w:t>pagu 150 dan 150</w:t></w:r></w:p><w:p><w:r><w:t>151</w:t></w:r></w:p>")
    assert text_edits(old, new) == [Edit("150", 2, 2, "0", "1", 3)]


def test_a_structural_change_is_no_text_edit():
    old = _docx(_table(("A", "1"), ("B", "2")))
    assert text_edits(old, _docx(_table(("A", "1"), ("B", "2"), ("C", "3")))) is None  # a row more
    bold = _table(("A", "1"), ("B", "2")).replace("<w:r>", "<w:r><w:rPr><w:b/></w:rPr>", 1)
    assert text_edits(old, _docx(bold)) is None
    assert text_edits(old, _docx(_table(("A", "1"), ("B", "2")), styles="<w:styles><x/></w:styles>")) is None
    assert text_edits(old, b"not a zip") is None


def test_a_change_across_runs_or_in_a_paragraph_with_a_tab_or_field_is_not_certain():
    two_runs = ("<w:p><w:r><w:t>Rp </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r>"
                "<w:r><w:t>{}</w:t></w:r></w:p>")
    # "Rp 10" + "0" -> "Rp 11" + "1": the change spans both bold and plain runs
    assert text_edits(_docx(two_runs.format("10", "0")), _docx(two_runs.format("11", "1"))) is None
    # within the bold run only: certain
    assert text_edits(_docx(two_runs.format("10", "0")), _docx(two_runs.format("12", "0"))) == [
        Edit("Rp 100", 0, 4, "0", "2", 1)]
    tab = "<w:p><w:r><w:t>Bab I</w:t></w:r><w:r><w:tab/><w:t>{}</w:t></w:r></w:p>"
    assert text_edits(_docx(tab.format("3")), _docx(tab.format("4"))) is None
    field = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>{}</w:t></w:r></w:p>'
    assert text_edits(_docx(field.format("3")), _docx(field.format("4"))) is None


def test_escaped_text_is_compared_as_read():
    old = _docx("<w:p><w:r><w:t>A &amp; B: 5 &lt; 6</w:t></w:r></w:p>")
    new = _docx("<w:p><w:r><w:t>A &amp; B: 7 &lt; 6</w:t></w:r></w:p>")
    assert text_edits(old, new) == [Edit("A & B: 5 < 6", 0, 7, "5", "7", 1)]


def test_an_insertion_takes_a_character_of_its_run_along_and_an_empty_run_is_not_certain():
    run = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Rp</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>"
    # "5.000" -> "15.000": inserted at the run's start, set with the run's first character
    assert text_edits(_docx(run.format("5.000")), _docx(run.format("15.000"))) == [
        Edit("Rp5.000", 0, 2, "5", "15", 1)]
    # "1.000" -> "1.0000": after the run's last character, set with it
    assert text_edits(_docx(run.format("1.000")), _docx(run.format("1.0000"))) == [
        Edit("Rp1.000", 0, 6, "0", "00", 1)]
    assert text_edits(_docx(run.format("")), _docx(run.format("7"))) is None
