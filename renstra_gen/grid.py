"""The render-neutral table layout: header rows, body rows and merged cells, ready for docx or xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator, Literal, NamedTuple

Align = Literal["left", "center", "right"]
ALIGN_FROM_CONTENT: dict[str, Align] = {"kiri": "left", "tengah": "center", "kanan": "right"}


@dataclass(frozen=True, slots=True)  # one per derived cell: a province's matrix has 100,000
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


@dataclass(slots=True)  # a province-size build holds over a million cells: a dict each was 40 % more
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
    decimals: int = 0  # for spreadsheets: decimals of the number format; -3: shown in thousands (`value` exact)
    origin: Origin | None = None  # set on cells that show one content value as written (import-xlsx)
    bottom: bool = False  # printed at the bottom of its cell (a dotted line to sign on, under the room to sign)


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
    paper: str | None = None  # the paper of the table's own pages, when not the document's (the table's `kertas`)
    # a hierarchy made of rows (program, kegiatan, sub kegiatan): per body row its depth (0 the top), None
    # for a row outside it (Urusan, JUMLAH); empty: none. A page that starts inside a parent repeats it (paged)
    levels: list[int | None] = field(default_factory=list)
    tree_columns: tuple[int, int] = (0, 1)  # grid columns of a tree row's code and name (kept when repeated)
    #: the grid columns of each table the grid prints as, when its columns are split over several tables
    #: (a program matrix's years: `pisah_tahun`); empty: one table. The workbook keeps the whole grid
    parts: list[list[int]] = field(default_factory=list)
    body_height: int = 0  # twips: the least height of every body row (room to sign by hand); 0: as the text needs

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
    return list(iter_placements(rows, ncols))


def iter_placements(rows: list[list[Cell]], ncols: int) -> Iterator[list[tuple[int, Cell, str]]]:
    """placements, one row at a time (a province-size table's slots are never all held)."""
    pending: dict[int, tuple[int, Cell]] = {}  # column -> (rows still covered, cell)
    for r, row in enumerate(rows):
        slots: list[tuple[int, Cell, str]] = []
        it = iter(row)
        col = 0
        while col < ncols:
            if col in pending:
                left, cell = pending[col]
                slots.append((col, cell, BELOW))
                if cell.colspan > 1:  # most cells span one column: no generator made for them
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
            if cell.colspan > 1:
                slots.extend((c, cell, RIGHT) for c in range(col + 1, col + cell.colspan))
            if cell.rowspan > 1:
                pending[col] = (cell.rowspan - 1, cell)
            col += cell.colspan
        if next(it, None) is not None:
            raise ValueError(f"baris {r + 1}: sel melebihi {ncols} kolom")
        yield slots
    if pending:
        left, cell = min(pending.values(), key=lambda p: p[0])
        raise ValueError(f"baris {len(rows)}: sel '{cell.text[:30]}' tinggi melebihi baris terakhir tabel "
                         f"({left} baris lagi)")


def columns_of(grid: Grid, columns: list[int]) -> Grid:
    """The grid cut down to `columns` (grid column indexes, ascending): every cell keeps the part of
    its span that falls in them (a cell with none is left out), rows and row spans stay as they are.
    One of the tables a split grid prints as (Grid.parts)."""
    from dataclasses import replace

    keep = set(columns)
    ncols = len(grid.columns)

    def cut(rows: list[list[Cell]]) -> list[list[Cell]]:
        out = []
        for row in placements(rows, ncols):
            cells = []
            for col, cell, kind in row:
                if kind != START:
                    continue
                span = sum(1 for c in range(col, col + cell.colspan) if c in keep)
                if span:
                    cells.append(cell if span == cell.colspan else replace(cell, colspan=span))
            out.append(cells)
        return out

    rows = cut(grid.header + grid.body)
    nhead = len(grid.header)
    at = {c: i for i, c in enumerate(columns)}  # a tree row's code and name columns, where they now are
    tree = tuple(at.get(c, -1) for c in grid.tree_columns)
    return replace(grid, columns=[grid.columns[c] for c in columns], header=rows[:nhead], body=rows[nhead:], parts=[],
                   tree_columns=tree if -1 not in tree else grid.tree_columns, levels=grid.levels if -1 not in tree else [])


def column_numbers(ncols: int) -> list[Cell]:
    """The (1) (2) (3) ... row under a header."""
    return [Cell(f"({i})", align="center") for i in range(1, ncols + 1)]


CONTINUED = " (lanjutan)"


def continued(grid: Grid, breaks) -> tuple[Grid, list[int]]:
    """The grid with every merged body cell that runs over a page break repeated at the break.

    `breaks` are body row indexes (0-based) that start a new page. A body cell spanning rows
    across such a row ends before it, and a new cell of the same columns starts there, spanning
    the rest, with the label and CONTINUED (a label that is one word, a number or a code, is
    repeated as it is). Returns the new grid (the same one when nothing changes) and the breaks
    at which a label was repeated."""
    import bisect
    from dataclasses import replace

    nhead = len(grid.header)
    wanted = sorted({b for b in breaks if 0 < b < len(grid.body)})
    if not wanted:
        return grid, []
    slots = placements(grid.header + grid.body, len(grid.columns))[nhead:]
    starts: list[list[tuple[int, Cell]]] = []  # per body row: (column, cell) of the cells it holds
    used: set[int] = set()
    extra: dict[int, list[tuple[int, Cell]]] = {}
    for r, row in enumerate(slots):
        here = []
        for col, cell, kind in row:
            if kind != START:
                continue
            end = r + cell.rowspan
            i = bisect.bisect_right(wanted, r)
            cuts = []
            while i < len(wanted) and wanted[i] < end:
                cuts.append(wanted[i])
                i += 1
            if not cuts:
                here.append((col, cell))
                continue
            edges = [r] + cuts + [end]
            here.append((col, replace(cell, rowspan=edges[1] - r)))
            label = cell.text.rstrip()
            text = label + CONTINUED if " " in label.strip() else label  # "" stays ""
            for a, b in zip(edges[1:], edges[2:]):
                piece = Cell(text, colspan=cell.colspan, rowspan=b - a, bold=cell.bold, italic=cell.italic,
                             align=cell.align, indent=cell.indent)
                extra.setdefault(a, []).append((col, piece))
                used.add(a)
        starts.append(here)
    if not used:
        return grid, []
    body = [[c for _, c in sorted(here + extra.get(r, []), key=lambda p: p[0])] for r, here in enumerate(starts)]
    return replace(grid, body=body), sorted(used)


def parents(grid: Grid, row: int) -> list[int]:
    """The body rows repeated above body row `row` when a page starts on it (grid.levels): its
    ancestors, the top one first; none for a top row or a row outside the tree (JUMLAH)."""
    levels = grid.levels
    if row >= len(levels) or not levels[row]:  # None (outside) or 0 (a program row)
        return []
    out = []
    want = levels[row]
    for r in range(row - 1, -1, -1):
        level = levels[r]
        if level is None:
            break
        if level < want:
            out.append(r)
            want = level
            if level == 0:
                break
    return out[::-1]


def parent_cells(grid: Grid, slots: list[list[tuple[int, Cell, str]]], row: int) -> list[tuple[int, Cell]]:
    """The code and name cells of body row `row` as repeated on a continuation page: the name marked
    CONTINUED, no figures, nothing for the workbook (`slots`: the body's placements)."""
    from dataclasses import replace

    out = []
    for col, cell, kind in slots[row]:
        if kind == START and col in grid.tree_columns:
            text = cell.text.rstrip() + CONTINUED if col == grid.tree_columns[1] else cell.text
            out.append((col, replace(cell, text=text, rowspan=1, value=None, formula=None, origin=None)))
    return out


def paged(grid: Grid, breaks) -> tuple[Grid, list[int], list[int]]:
    """The grid as printed with page breaks before the body rows `breaks` (0-based): at each break
    that falls inside a parent of a tree of rows (grid.levels), the parent rows are repeated first
    (their code, their name with CONTINUED, every other cell empty: a repeated parent is never read
    as a second amount); then every merged cell over a break is repeated there (continued), the
    repeated rows under it. Returns the grid, the breaks at which anything was repeated, and per
    body row of the new grid the row of `grid` it is, or precedes (a repeated row)."""
    from dataclasses import replace

    wanted = sorted({b for b in breaks if 0 < b < len(grid.body)})
    inserts = {b: p for b in wanted if (p := parents(grid, b))}
    rows = list(range(len(grid.body)))
    if inserts:
        nhead = len(grid.header)
        slots = placements(grid.header + grid.body, len(grid.columns))[nhead:]
        grow: dict[int, int] = {}  # id of a merged cell over a break: the rows inserted under it
        body: list[list[Cell]] = []
        rows = []
        added: dict[int, list[list[Cell]]] = {}
        for b, above in inserts.items():
            added[b] = []
            for p in above:
                keep = dict(parent_cells(grid, slots, p))
                new = []
                for col, cell, kind in slots[b]:
                    if kind == BELOW:
                        grow[id(cell)] = grow.get(id(cell), 0) + 1
                    elif kind == START:
                        new.append(keep.get(col) or Cell("", colspan=cell.colspan))
                added[b].append(new)
        by_row: dict[int, dict[int, int]] = {}  # body row: {index of a cell in the row: its new rowspan}
        for r, srow in enumerate(slots):
            i = 0
            for _, cell, kind in srow:
                if kind != START:
                    continue
                if id(cell) in grow:
                    by_row.setdefault(r, {})[i] = cell.rowspan + grow[id(cell)]
                i += 1
        for r, row in enumerate(grid.body):
            for new in added.get(r, []):
                body.append(new)
                rows.append(r)
            spans = by_row.get(r)
            body.append([replace(c, rowspan=spans[i]) if spans and i in spans else c for i, c in enumerate(row)])
            rows.append(r)
        grid = replace(grid, body=body, levels=[])
    first: dict[int, int] = {}
    for i, r in enumerate(rows):
        first.setdefault(r, i)
    grid, labelled = continued(grid, [first[b] for b in wanted])
    return grid, sorted(set(inserts) | {rows[i] for i in labelled}), rows
