"""The change list as a workbook: the matriks perubahan, one row per change, filterable."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from renstra_gen.compose.diff import Change
from renstra_gen.render.package import read_parts, zip_parts
from renstra_gen.render.xlsx_form import excel_form

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
COLUMNS = [  # header, Change field, width
    ("No", None, 5), ("Bagian", "bagian", 40), ("Jenis perubahan", "jenis", 18), ("Sifat", "sifat", 10),
    ("Tempat", "tempat", 45), ("Kolom", "kolom", 22), ("Semula", "lama", 45), ("Menjadi", "baru", 45),
    ("Berkas konten", "berkas", 28),
]


def changes_xlsx(changes: list[Change], old_label: str, new_label: str, author: str, stamp: dt.datetime) -> bytes:
    """One sheet: a title line naming both versions, the header, one row per change (autofilter)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Perubahan"
    ws.append([f"Matriks perubahan: semula {old_label}, menjadi {new_label}"])
    ws["A1"].font = Font(bold=True)
    ws.append([h for h, _, _ in COLUMNS])
    fill = PatternFill("solid", fgColor="D9D9D9")
    for i, (_, _, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=2, column=i)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for n, c in enumerate(changes, 1):
        ws.append([n] + [getattr(c, f) or None for _, f, _ in COLUMNS[1:]])  # an empty text is no cell
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(2, ws.max_row)}"
    ws.freeze_panes = "A3"
    wb.properties.creator = wb.properties.lastModifiedBy = author
    wb.properties.created = wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    parts = excel_form(read_parts(out.getvalue()))  # shared strings, font children in Excel's order
    parts["docProps/core.xml"] = _MODIFIED.sub(  # openpyxl stamps the time of saving
        rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", parts["docProps/core.xml"])
    return zip_parts(parts.items())
