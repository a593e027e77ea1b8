"""How a cell is addressed and written in our workbooks: A1 references, numbers as written in <v>,
the index sheet's name. Shared by the workbook writer and its hidden record (render/xlsx_record.py)."""

from __future__ import annotations

from decimal import Decimal

INDEX_SHEET = "renstra"
MAX_COLUMN = 18278  # XFD... ZZZ: the most a reference can name (Excel itself stops at XFD, 16,384)


def excel_number(v: Decimal) -> str:
    """A cell value as written in <v>: an integer, or 16 significant digits as openpyxl writes floats."""
    text = str(v)
    if text.isdigit():  # nearly every amount: a whole number written without exponent
        return text
    return str(int(v)) if v == v.to_integral_value() else "%.16g" % float(v)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


#: Column letters by 0-based column (A..ZZ); wider columns are spelt on demand.
_AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS = list(_AZ) + [a + b for a in _AZ for b in _AZ]
LETTERED = len(LETTERS)  # columns 0..701 have their letters in the table


def column_letter(col: int) -> str:
    """The letters of a 1-based column (1 -> A, 27 -> AA)."""
    if 0 < col <= len(LETTERS):
        return LETTERS[col - 1]
    if not 0 < col <= MAX_COLUMN:
        raise ValueError(f"Invalid column index {col}")
    return _letters(col)


def cell_ref(excel_row: int, col: int) -> str:
    """The A1 reference of a 1-based row and a 0-based column."""
    if 0 <= col < LETTERED:
        return f"{LETTERS[col]}{excel_row}"
    return f"{column_letter(col + 1)}{excel_row}"
