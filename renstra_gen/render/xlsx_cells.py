"""How a cell is addressed and written in our workbooks: A1 references, numbers as written in <v>,
the index sheet's name. Shared by the workbook writer and its hidden record (render/xlsx_record.py)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter

INDEX_SHEET = "renstra"


def excel_number(v: Decimal) -> str:
    """A cell value as written in <v>: an integer, or 16 significant digits as openpyxl writes floats."""
    return str(int(v)) if v == v.to_integral_value() else "%.16g" % float(v)


def cell_ref(excel_row: int, col: int) -> str:
    """The A1 reference of a 1-based row and a 0-based column."""
    return f"{get_column_letter(col + 1)}{excel_row}"
