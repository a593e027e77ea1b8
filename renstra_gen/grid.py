"""The render-neutral table layout: header rows, body rows and merged cells, ready for docx or xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

Align = Literal["left", "center", "right"]
ALIGN_FROM_CONTENT: dict[str, Align] = {"kiri": "left", "tengah": "center", "kanan": "right"}


@dataclass(frozen=True)
class Formula:
    """How a derived cell is computed, for live spreadsheet formulas.

    `refs` are (body row, grid column) positions in the same table. kind "sum" adds them;
    "ratio" is refs[0] / refs[1] x 100 (empty when the denominator is empty or zero)."""

    kind: str
    refs: tuple[tuple[int, int], ...]


class Origin(NamedTuple):
    """Where an input cell's value is written in the content, so that a workbook edit can go back.

    kind: "pagu" (a number >= 0), "target" (a number or text), "teks" (required text) or
    "teks?" (optional text). `row` names the row (its kode or name): an import checks it is
    still the row at `path` before writing."""

    file: str
    path: tuple
    kind: str
    row: str = ""


@dataclass
class Cell:
    """One cell. `text` may hold line breaks; `value` is the number behind a numeric cell."""

    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    italic: bool = False
    align: Align = "left"
    indent: int = 0
    value: Decimal | None = None
    math: str | None = None  # a formula in the content's LaTeX subset, rendered as an equation
    markdown: bool = False  # text is a small Markdown fragment (paragraphs and '-' bullets)
    formula: Formula | None = None  # set on derived cells; `value` holds the computed result
    decimals: int = 0  # for spreadsheets: decimals of the number format
    origin: Origin | None = None  # set on cells that show one content value as written (import-xlsx)


@dataclass
class Grid:
    """A table laid out: rows of cells; a cell covered by a merge from above is left out (as in HTML)."""

    key: str
    caption: str
    columns: list[float]  # relative shares of the room left once every column has its measured width (render/fit.py)
    header: list[list[Cell]]
    body: list[list[Cell]]
    source: str | None = None
    landscape: bool = False
    number: str = ""  # "2.1", set when the table is placed
    label: str = "Tabel"
    preamble: list[str] = field(default_factory=list)  # lines printed between caption and table
    font_size: float = 10  # points, where sizing starts: render/fit.py steps down while the columns do not fit

    @property
    def title(self) -> str:
        return f"{self.label} {self.number} {self.caption}".strip()


START, BELOW, RIGHT = "start", "below", "right"


def placements(rows: list[list[Cell]], ncols: int) -> list[list[tuple[int, Cell, str]]]:
    """Per row, every grid column as (column, cell, kind).

    kind is START where a cell begins, BELOW where a cell from a row above still covers the
    column (the first column of that cell only; renderers continue the vertical merge there),
    RIGHT for the further columns a cell spans. Raises ValueError naming a row that does not
    fill the grid exactly."""
    pending: dict[int, tuple[int, Cell]] = {}  # column -> (rows still covered, cell)
    out = []
    for r, row in enumerate(rows):
        slots: list[tuple[int, Cell, str]] = []
        it = iter(row)
        col = 0
        while col < ncols:
            if col in pending:
                left, cell = pending[col]
                slots.append((col, cell, BELOW))
                slots.extend((c, cell, RIGHT) for c in range(col + 1, col + cell.colspan))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, cell)
                col += cell.colspan
                continue
            cell = next(it, None)
            if cell is None:
                raise ValueError(f"baris {r + 1}: sel kurang dari {ncols} kolom")
            if col + cell.colspan > ncols:
                raise ValueError(f"baris {r + 1}: sel melebihi {ncols} kolom")
            slots.append((col, cell, START))
            slots.extend((c, cell, RIGHT) for c in range(col + 1, col + cell.colspan))
            if cell.rowspan > 1:
                pending[col] = (cell.rowspan - 1, cell)
            col += cell.colspan
        if next(it, None) is not None:
            raise ValueError(f"baris {r + 1}: sel melebihi {ncols} kolom")
        out.append(slots)
    if pending:
        left, cell = min(pending.values(), key=lambda p: p[0])
        raise ValueError(f"baris {len(rows)}: sel '{cell.text[:30]}' tinggi melebihi baris terakhir tabel "
                         f"({left} baris lagi)")
    return out


def column_numbers(ncols: int) -> list[Cell]:
    """The (1) (2) (3) ... row under a header."""
    return [Cell(f"({i})", align="center") for i in range(1, ncols + 1)]
