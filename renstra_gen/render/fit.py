"""Column widths and font size of a table, from its content measured in the printed font.

The automatic table layout of a typesetter (or of CSS): each column's minimum is its widest
unbreakable piece (a number, a code, a word; a header word may break only at a space or "/"),
its preferred width its longest line. The text width is shared so that no minimum is violated;
when the longest lines do not all fit (a text-heavy table), every column first gets its longest
line up to a comfortable width of about 24 characters (as far as the room allows), then the rest
in proportion to what each still lacks, weighted by the grid's relative widths (`Grid.columns`,
the content's `lebar`); room left once every column has its longest line is shared by the same
relative widths. When even the minima do not fit, the font steps
down by half a point from the grid's size. The layouts start the wide matrices at 7 pt, so that
is where stepping usually stops; a matrix whose minima do not fit even at 7 pt (Tabel 6.2 with six
years on A4: 21 columns of 13-digit sums) goes on down, to 5 pt at most, because a number cut
across two lines is worse than small type. Only past that may a piece break. Every table of the
document and the workbook is sized here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable

from renstra_gen.grid import START, Cell, Grid, placements
from renstra_gen.render import metrics

LAST_RESORT_SIZE = 5.0  # points: below 7 pt only for a matrix whose minima do not fit at 7 pt
STEP = 0.5
INDENT_STEP = 113  # twips per tree level (0.2 cm)
BULLET_INDENT = 227  # twips: a Markdown bullet's hanging indent
SLACK = 1.02  # measured text is made 2 % wider: rounding and renderers' own spacing never clip it
EXTRA = 12  # twips added to every cell (borders, rounding)
COMFORT_EM = 12.0  # a text column's comfortable width, in ems: about 24 average characters


def cell_margin(size: float) -> int:
    """Left and right cell margin (twips): 1 mm, 0.5 mm in the dense matrices, 0.3 mm below 7 pt."""
    return 57 if size >= 8 else 28 if size >= 7 else 17


@dataclass(frozen=True)
class Fitted:
    cols: list[int]  # twips, summing to the width asked for
    size: float  # font size, points
    margin: int  # left/right cell margin, twips
    fits: bool  # False when even the minima at the smallest size were wider than the page


@dataclass
class _Needs:
    """What a table's cells ask for, in points at 1 pt plus fixed twips (a cell's width at a size
    is units * size * 20 * SLACK + fixed), gathered per column: the widest cell for each indent,
    so that trying another font size costs nothing per cell."""

    single: list[dict[int, list[float]]]  # per column: fixed twips -> [min units, max units]
    spans: list[tuple[int, int, float, float, int]]  # (column, span, min units, max units, fixed)


def formula_width(latex: str) -> float:
    """A formula's printed width (points at 1 pt), set in the table's font."""
    from renstra_gen.render.math import width

    return width(latex, metrics.measure().line)


#: Within `measured_once()`: per grid (by identity, the grid held so that its id is never reused) and
#: kind, what was worked out from its cells. None outside it.
_MEASURED: dict[tuple, tuple[object, object]] | None = None


@contextlib.contextmanager
def measured_once():
    """Within it, every grid's cells are measured once for all the fits asked of it (the
    legibility check at several papers, the .docx, the workbook in a child forked inside it): a
    cell's need does not depend on the width or the font size fitted to. At 5,000 sub kegiatan
    Tabel 6.2 was measured five times (the legibility check's three papers, the document and the
    workbook). The digest of its cells for the kept tables and sizes (render/table_cache.py) is
    made once the same way. The grids fitted inside must not change there (a build's grids are
    final once composed; render/table.py fits the grid without its repeated labels)."""
    global _MEASURED
    outer = _MEASURED
    if outer is None:
        _MEASURED = {}
    try:
        yield
    finally:
        if outer is None:
            _MEASURED = None


def once_per_grid(grid: Grid, kind: str, make: Callable[[], object]):
    """`make()`, made once per grid and `kind` within `measured_once()` (each time outside it)."""
    memo = _MEASURED
    if memo is None:
        return make()
    got = memo.get((id(grid), kind))
    if got is None or got[0] is not grid:
        got = memo[id(grid), kind] = (grid, make())
    return got[1]


def once_per_rows(grid: Grid, kind: str, make: Callable[[], object]):
    """`make()` for what depends on the grid's rows alone (its header and body lists and their
    cells), made once per pair of row lists and `kind` within `measured_once()`: shared by the grids
    that hold the same lists (a grid `replace`d with other `parts`, as the legibility check asks of a
    matrix whose years could be split). The lists are held, so that their ids are never reused."""
    memo = _MEASURED
    if memo is None:
        return make()
    key = (id(grid.header), id(grid.body), kind)
    got = memo.get(key)
    if got is None or got[0][0] is not grid.header or got[0][1] is not grid.body:
        got = memo[key] = ((grid.header, grid.body), make())
    return got[1]


def placed(grid: Grid) -> list[list[tuple[int, Cell, str]]]:
    """grid.placements of the grid's header and body rows, made once per grid within
    `measured_once()` (read only: shared by everything that fits or writes the grid)."""
    return once_per_grid(grid, "placements", lambda: placements(grid.header + grid.body, len(grid.columns)))


def _needs_of(grid: Grid, math_width: Callable[[str], float], slots_by_row=None) -> _Needs:
    if math_width is not formula_width:
        return _needs(grid, math_width, slots_by_row)
    return once_per_grid(grid, "needs", lambda: _needs(grid, math_width, slots_by_row))


def _needs(grid: Grid, math_width: Callable[[str], float], slots_by_row=None) -> _Needs:
    ncols = len(grid.columns)
    nhead = len(grid.header)
    if slots_by_row is None:
        slots_by_row = placed(grid)
    single: list[dict[int, list[float]]] = [{} for _ in range(ncols)]
    spans = []
    for r, slots in enumerate(slots_by_row):
        header = r < nhead
        for col, cell, kind in slots:
            if kind != START:
                continue
            lo, hi, fixed = _cell_need(cell, header, math_width)
            if not (hi or lo or fixed):
                continue
            if cell.colspan > 1:
                spans.append((col, cell.colspan, lo, hi, fixed))
                continue
            have = single[col].get(fixed)
            if have is None:
                single[col][fixed] = [lo, hi]
            else:
                if lo > have[0]:
                    have[0] = lo
                if hi > have[1]:
                    have[1] = hi
    return _Needs(single, spans)


def _cell_need(cell: Cell, header: bool, math_width) -> tuple[float, float, int]:
    fixed = cell.indent * INDENT_STEP
    if cell.math:
        w = math_width(cell.math)
        return w, w, fixed
    text = cell.text
    if not text:
        return 0.0, 0.0, fixed
    if cell.markdown and any(line.strip().startswith(("- ", "* ")) for line in text.splitlines()):
        fixed += BULLET_INDENT
    lo, hi = metrics.measure(cell.bold).extent(text)
    # a header's longest line does not claim room: it wraps at spaces, the body decides the width
    return lo, (lo if header else hi), fixed


def _columns(needs: _Needs, ncols: int, size: float, margin: int, want: str) -> list[float]:
    """Per column the minimum (want="min") or preferred width in twips at one font size."""
    base = 2 * margin + EXTRA
    k = size * 20 * SLACK
    i = 0 if want == "min" else 1
    out = [max((units[i] * k + fixed for fixed, units in col.items()), default=0.0) + base
           for col in needs.single]
    for col, span, lo, hi, fixed in sorted(needs.spans, key=lambda s: s[1]):
        w = (lo if i == 0 else hi) * k + fixed + base
        have = sum(out[col:col + span])
        if w > have:  # a spanning cell needs more than its columns: widen them evenly
            extra = (w - have) / span
            for c in range(col, col + span):
                out[c] += extra
    return out


def fit(grid: Grid, width: int, math_width: Callable[[str], float] = formula_width,
        size: float | None = None, fixed_size: bool = False, slots_by_row=None) -> Fitted:
    """Column widths (twips) summing to `width`, and the font size, for one table.

    `math_width(latex)` gives a formula's width in points at 1 pt. `size` replaces the grid's
    font size; with `fixed_size` it is kept (a spreadsheet, printed fitted to the page width) and
    the table grows wider than `width` where its minima need it. `slots_by_row`: the grid's
    placements, when the caller has them already."""
    ncols = len(grid.columns)
    size = grid.font_size if size is None else size
    if ncols == 0:
        return Fitted([], size, cell_margin(size), True)
    needs = _needs_of(grid, math_width, slots_by_row)
    if fixed_size:
        lo = _columns(needs, ncols, size, cell_margin(size), "min")
        return _share(grid, needs, size, max(width, int(sum(lo)) + 1))
    while True:
        margin = cell_margin(size)
        lo = _columns(needs, ncols, size, margin, "min")
        if sum(lo) <= width or size - STEP < LAST_RESORT_SIZE - 1e-9:
            break
        size -= STEP
    return _share(grid, needs, size, width)


def _share(grid: Grid, needs: _Needs, size: float, width: int) -> Fitted:
    """Share `width` among the columns at one font size (see the module's docstring)."""
    ncols = len(grid.columns)
    margin = cell_margin(size)
    lo = _columns(needs, ncols, size, margin, "min")
    hi = [max(h, m) for h, m in zip(_columns(needs, ncols, size, margin, "max"), lo)]
    fits = sum(lo) <= width
    if not fits:
        cols = [w * width / sum(lo) for w in lo]  # the last resort: every column shrunk alike
    elif sum(hi) <= width:
        weights = [max(w, 0.0) for w in grid.columns]
        total = sum(weights) or 1.0
        spare = width - sum(hi)
        cols = [h + spare * w / total for h, w in zip(hi, weights)]
    else:
        cols = _text_heavy(grid, lo, hi, size, margin, width)
    out = [int(c) for c in cols]
    out[-1] += width - sum(out)
    return Fitted(out, size, margin, fits)


def _text_heavy(grid: Grid, lo: list[float], hi: list[float], size: float, margin: int, width: int) -> list[float]:
    """Widths when the longest lines do not all fit: first every column its longest line up to a
    comfortable width (COMFORT_EM, about 24 characters, or as much of it as the room allows: a Keterangan column then
    holds a phrase per line, not a word per line beside a wide formula), then the rest of the room
    in proportion to what each column still lacks, weighted by the grid's relative widths (the
    content's `lebar`), never past a column's longest line."""
    base = 2 * margin + EXTRA

    def floor(c: float) -> list[float]:
        return [max(a, min(b, c)) for a, b in zip(lo, hi)]
    comfort = COMFORT_EM * size * 20 * SLACK + base
    if sum(floor(comfort)) > width:  # the largest comfortable width that fits (bisection)
        low, high = 0.0, comfort
        for _ in range(30):
            mid = (low + high) / 2
            low, high = (mid, high) if sum(floor(mid)) <= width else (low, mid)
        comfort = low
    cols = floor(comfort)
    mean = sum(grid.columns) / len(grid.columns) if grid.columns and sum(grid.columns) > 0 else 1.0
    weights = [max(w, 0.0) / mean for w in grid.columns] if len(grid.columns) == len(cols) else [1.0] * len(cols)
    open_ = [i for i in range(len(cols)) if hi[i] - cols[i] > 1e-6 and weights[i] > 0]
    spare = width - sum(cols)
    while spare > 1e-6 and open_:
        shares = {i: (hi[i] - cols[i]) * weights[i] for i in open_}
        total = sum(shares.values())
        capped = [i for i in open_ if spare * shares[i] / total >= hi[i] - cols[i]]
        if not capped:
            for i in open_:
                cols[i] += spare * shares[i] / total
            break
        for i in capped:  # these reach their longest line; the others share what is left
            spare -= hi[i] - cols[i]
            cols[i] = hi[i]
        open_ = [i for i in open_ if i not in capped]
    if spare > 1e-6 and not open_:  # every column at its longest line (weights of 0): spread evenly
        cols = [c + spare / len(cols) for c in cols]
    return cols
