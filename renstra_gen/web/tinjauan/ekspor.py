"""The verification notes of a round as Bappeda sends them: a .docx (python-docx) and an .xlsx (openpyxl).

Every value is text typed by people: control characters are dropped (neither format may hold them)
and the workbook never reads a note as a formula."""

from __future__ import annotations

import io
import re

from django.utils import timezone

KOLOM = ["No", "Bagian yang Dicatat", "Catatan Verifikator", "Verifikator", "Keadaan", "Jawaban Perangkat Daerah",
         "Versi Jawaban"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def bersih(text) -> str:
    return _CONTROL.sub("", str(text or ""))


def rows(notes) -> list[list[str]]:
    out = []
    for n, c in enumerate(notes, 1):
        bagian = c.label or c.get_jangkar_display()
        out.append([str(n), bersih(f"{c.get_jangkar_display()}: {bagian}"), bersih(c.isi), bersih(c.nama),
                    c.get_keadaan_display(), bersih(c.jawaban), c.commit_jawaban[:10]])
    return out


def _judul(doc, ronde) -> tuple[str, str]:
    return ("CATATAN HASIL VERIFIKASI", bersih(f"{doc.judul} {doc.office.nama} — putaran {ronde} "
                                              f"(dicetak {timezone.localtime():%d-%m-%Y %H:%M})"))


def docx(doc, ronde: int, notes) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    d = Document()
    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    title, sub = _judul(doc, ronde)
    d.add_heading(title, level=1)
    d.add_paragraph(sub)
    table = d.add_table(rows=1, cols=len(KOLOM))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, KOLOM):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
    for row in rows(notes):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xlsx(doc, ronde: int, notes) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Catatan Verifikasi"
    title, sub = _judul(doc, ronde)
    ws.append([title])
    ws.append([sub])
    ws.append(KOLOM)
    for c in ws[3]:
        c.font = Font(bold=True)
    for row in rows(notes):
        ws.append([None] * len(row))
        for cell, text in zip(ws[ws.max_row], row):
            cell.value = text
            cell.data_type = "s"  # never a formula, whatever the note begins with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFG", (5, 40, 50, 22, 12, 50, 12)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
