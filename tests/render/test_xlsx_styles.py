"""The template's base for the workbook writer (render/xlsx_styles.py): a template it cannot use is a
sentence naming the template, never a traceback; the cell style ids repeat openpyxl's."""

from __future__ import annotations

import pytest

from renstra_gen.errors import OutputError
from renstra_gen.render import xlsx_styles


@pytest.fixture(autouse=True)
def _fresh():
    xlsx_styles._base_of.cache_clear()
    yield
    xlsx_styles._base_of.cache_clear()


def test_a_file_that_is_not_a_workbook_is_a_sentence(tmp_path):
    bad = tmp_path / "tabel.xlsx"
    bad.write_bytes(b"bukan zip")
    with pytest.raises(OutputError, match=r"templat buku kerja .*tabel\.xlsx tidak dapat dibaca sebagai \.xlsx"):
        xlsx_styles.template_base(bad)


def test_a_template_without_the_named_styles_names_them(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import NamedStyle

    wb = Workbook()
    wb.add_named_style(NamedStyle(name="Judul"))
    path = tmp_path / "tabel.xlsx"
    wb.save(path)
    with pytest.raises(OutputError, match="gaya sel bernama Kepala, Isi, Angka, Sumber tidak ada"):
        xlsx_styles.template_base(path)


def test_style_ids_follow_openpyxl(tmp_path):
    """The same looks asked in the same order get the ids openpyxl gave a scratch cell, and the same styles.xml."""
    from openpyxl import load_workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font

    from renstra_gen.render.xlsx_form import font_order
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES

    template = DEFAULT_TEMPLATES / "tabel.xlsx"
    looks = [("Isi", None, True, "left", 0), ("Angka", "#,##0", False, "center", 0), ("Isi", None, False, "left", 2),
             ("Kepala", None, False, "", 0), ("Angka", "#,##0", True, "right", 0), ("Isi", None, True, "right", 1),
             ("Angka", "0.00", False, "", 0), ("Isi", None, True, "left", 0)]
    book = xlsx_styles.StyleBook(xlsx_styles.template_base(template))
    ours = [book.cell(*look) for look in looks]

    wb = load_workbook(template)
    ws = wb.active
    theirs = []
    for name, fmt, bold, align, indent in looks:
        c = Cell(ws)
        c.style = name
        if fmt:
            c.number_format = fmt
        if bold:
            f = c.font
            c.font = Font(name=f.name, size=f.size, bold=True, italic=f.italic, color=f.color)
        if align in ("center", "right") or indent:
            a = c.alignment
            c.alignment = Alignment(horizontal=align if align != "left" else a.horizontal, vertical=a.vertical,
                                    wrap_text=a.wrap_text, indent=indent)
        theirs.append(c.style_id)
    assert ours == theirs
    assert len(set(ours)) < len(ours)  # equal looks share an id
    from openpyxl.styles.stylesheet import write_stylesheet
    from openpyxl.xml.functions import tostring

    assert book.xml() == font_order(tostring(write_stylesheet(wb)))
