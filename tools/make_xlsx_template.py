"""Regenerate templates/tabel.xlsx: the named cell styles the workbook of tables uses.

An office may restyle the template in Excel or LibreOffice (Format > Styles): the renderer applies
the styles by name — Judul, Kepala, Isi, Angka, Sumber — to every sheet it creates.

    python tools/make_xlsx_template.py templates/tabel.xlsx
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from renstra_gen.render.package import read_parts, zip_parts  # noqa: E402
from renstra_gen.render.xlsx_form import excel_form  # noqa: E402

FONT = "Arial"


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Gaya"
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    styles = [
        NamedStyle("Judul", font=Font(name=FONT, size=12, bold=True), alignment=Alignment(horizontal="center")),
        NamedStyle("Kepala", font=Font(name=FONT, size=9, bold=True), border=box,
                   fill=PatternFill("solid", fgColor="D9D9D9"),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("Isi", font=Font(name=FONT, size=9), border=box,
                   alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle("Angka", font=Font(name=FONT, size=9), border=box,
                   alignment=Alignment(horizontal="right", vertical="top")),
        NamedStyle("Sumber", font=Font(name=FONT, size=8, italic=True)),
    ]
    for row, st in enumerate(styles, 1):
        wb.add_named_style(st)
        cell = ws.cell(row=row, column=1, value=f"Contoh gaya {st.name}")
        cell.style = st.name
    ws.column_dimensions["A"].width = 30
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    wb.save(out)
    # shared strings and Excel's font order (Excel opens it without rewriting), fixed entry times
    path.write_bytes(zip_parts(excel_form(read_parts(out.getvalue())).items()))


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/tabel.xlsx"))
