"""A table's WordprocessingML kept between builds: a table whose cells did not change is not measured,
fitted and written again.

Writing Tabel 6.2 of 5,000 sub kegiatan as Word XML (measuring every cell for the column fit, the
keep-together estimate, every run and paragraph) costs about a second; reading the same pieces back
costs milliseconds. An edit of the narrative, or of another table, leaves a table's pieces as they
were; an edit of one of its cells writes that table again.

The pieces depend on the cells as render/table.py reads them (text, spans, weight, alignment,
indent, formula, Markdown), the grid's relative column widths and starting font size, the width
of the page, the fonts' measured widths, and the code of the package. All of these make up what an
entry is checked against; the entry is kept in the user's cache (system/cache.py: signed, so only
this user's own entries are read), one per table of a content set.
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
from pathlib import Path
from typing import Callable
from xml.parsers import expat

from renstra_gen.grid import Grid
from renstra_gen.render import oxml
from renstra_gen.render.fit import once_per_rows
from renstra_gen.system.cache import read_signed, write_signed

KIND = "tabel-docx"
#: Largest entry kept: the pieces of a province-size Tabel 6.2 (20,000 sub kegiatan) are about 100 MB.
ENTRY_BYTES = 512 * 1024 * 1024


def table_pieces_kept(grid: Grid, width: int, math: Callable[[str, float], str], scope: str,
                      make: Callable[[Grid, int, Callable[[str, float], str]], list[str]],
                      checked: dict[int, str] | None = None, *, variant: str = "",
                      side: list[int] | None = None, encoded: bool = False) -> list[str] | list[Piece]:
    """`make(grid, width, math)` (render.table.table_pieces), or the pieces it gave last time for the
    same cells, width, fonts and code. `scope` names the document (its content folder), so that two
    content sets do not take each other's entries.

    The pieces are well-formed XML (checked with expat when made, before they are kept: an error is
    raised as oxml.check_well_formed raises it); `checked` receives them by id (and holds them, so that
    no id is reused while the document is made), so that the document's
    own check can leave them out (parsing them again was a third of a warm build's document).

    `variant`: whatever else `make` depends on (the page height and the breaks where merged labels are
    repeated); `side`: a list `make` fills (the breaks it repeated labels at), kept with the pieces and
    filled again from a kept entry.

    `encoded`: the pieces as UTF-8 (bytes, or views of the kept entry's bytes), for a caller that only
    writes them into the package (oxml.utf8 passes them through). A kept Tabel 6.2 of 20,000 sub
    kegiatan is then the entry's 100 MB, held once, instead of the entry and 100 MB of strings made
    from it (the parent's peak); nothing is decoded or encoded again."""
    name = hashlib.sha256(f"{scope}\0{grid.key}\0{grid.label}\0{grid.number}\0{grid.parts}".encode()).hexdigest()
    made_of = _made_of(grid, width, f"{math.__module__}.{math.__qualname__}", variant)
    body = read_signed(KIND, name, limit=ENTRY_BYTES + 32)
    if body is not None and body[:32] == made_of:
        kept = _unpacked(body[32:])  # an unreadable entry is only written again
        if kept is not None:
            views, extra = kept
            pieces = views if encoded else _own([str(v, "utf-8") for v in views])
            if checked is not None:
                checked.update((id(p), p) for p in pieces)
            if side is not None:
                side[:] = extra
            return pieces
    made = make(grid, width, math)
    utf8 = []
    for i, piece in enumerate(made):
        utf8.append(piece.encode("utf-8"))
        if encoded:  # only the bytes are handed over: each string goes as soon as it is encoded
            made[i] = ""
    parser = expat.ParserCreate()
    parser.Parse(f"<w:body {oxml.NSDECL}>", False)
    for chunk in utf8:
        parser.Parse(chunk, False)
    parser.Parse("</w:body>", True)
    head = marshal.dumps(([len(b) for b in utf8], list(side or [])))
    if len(head) + sum(map(len, utf8)) + 8 <= ENTRY_BYTES:
        write_signed(KIND, name, made_of, len(head).to_bytes(8, "little"), head, *utf8)
    pieces = utf8 if encoded else _own(made)
    if checked is not None:
        checked.update((id(p), p) for p in pieces)
    return pieces


#: a piece of a table as UTF-8: its own bytes (just made) or a view of a kept entry's bytes
Piece = bytes | memoryview


def _unpacked(entry: memoryview) -> tuple[list[memoryview], list[int]] | None:
    """A kept entry's pieces (views of `entry`, not copies) and side list; None if it is not one
    (the layout: 8 bytes little-endian length of the head, the head (marshal: every piece's length
    in bytes, the side list), then the pieces' UTF-8 one after another)."""
    try:
        size = int.from_bytes(entry[:8], "little")
        lengths, extra = marshal.loads(entry[8:8 + size])
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(lengths, list) and all(type(n) is int and n >= 0 for n in lengths)
            and isinstance(extra, list) and all(type(x) is int for x in extra)
            and 8 + size + sum(lengths) == len(entry)):
        return None
    views, at = [], 8 + size
    for n in lengths:
        views.append(entry[at:at + n])
        at += n
    return views, extra


def _own(pieces: list[str]) -> list[str]:
    """The pieces, each short one a string object of its own: the document's check leaves out pieces
    by their id, and a short piece may be a constant shared with another table ("</w:tbl>"), which
    must still be checked there when that table was written anew (a long piece is always made).
    (Encoded pieces need none of this: no str elsewhere can have a bytes object's id.)"""
    return [p.join(("", "")) if 1 < len(p) < 4096 else p for p in pieces]


def sheet_measures_kept(grid: Grid, width: int, size: float, scope: str,
                        make: Callable[[], tuple[list[float], list[float | None]]]) -> tuple[list, list]:
    """`make()`: a workbook sheet's column widths and row heights (render/xlsx.py, measured like the
    document's tables: every cell's text in the printed font), or what it gave last time for the same
    cells, page width, font size, fonts and code. `scope` names the workbook."""
    name = hashlib.sha256(f"{scope}\0{grid.key}\0{grid.label}\0{grid.number}\0{grid.parts}".encode()).hexdigest()
    made_of = _made_of(grid, width, float(size))
    body = read_signed(SHEET_KIND, name, limit=ENTRY_BYTES + 32)
    if body is not None and body[:32] == made_of:
        try:
            points, heights = pickle.loads(body[32:])  # noqa: S301 - signed with the user's own key
        except Exception:  # noqa: BLE001 - an unreadable entry is only written again
            pass
        else:
            if len(points) == len(grid.columns) and len(heights) == len(grid.header) + len(grid.body):
                return points, heights
    points, heights = make()
    write_signed(SHEET_KIND, name, made_of, pickle.dumps((points, heights), protocol=pickle.HIGHEST_PROTOCOL))
    return points, heights


SHEET_KIND = "tabel-xlsx"


def sizes_kept(grid: Grid, widths: tuple[int, ...], scope: str, make: Callable[[int], float]) -> dict[int, float]:
    """`make(width)` for each of `widths`: a table's fitted font size (render/fit.py) on the papers the
    legibility check asks about, or what it gave last time for the same cells, widths, fonts and code.
    With the document's pieces and the workbook's measures kept, the check was the one step of a warm
    build that still measured every cell (5,000 sub kegiatan: 0.45 s). `scope` names the content set."""
    import json

    name = hashlib.sha256(f"{scope}\0{grid.key}\0{grid.label}\0{grid.number}\0{grid.parts}".encode()).hexdigest()
    made_of = _made_of(grid, tuple(widths))
    body = read_signed(SIZE_KIND, name, limit=64 * 1024)
    if body is not None and body[:32] == made_of:
        try:
            sizes = json.loads(bytes(body[32:]))
        except ValueError:  # an unreadable entry is only written again
            sizes = None
        if isinstance(sizes, list) and len(sizes) == len(widths) and all(type(s) is float for s in sizes):
            return dict(zip(widths, sizes))
    sizes = [float(make(w)) for w in widths]
    write_signed(SIZE_KIND, name, made_of, json.dumps(sizes).encode())
    return dict(zip(widths, sizes))


SIZE_KIND = "tabel-ukuran"


def _made_of(grid: Grid, *what) -> bytes:
    """The digest of everything a table's pieces or measures depend on (see the module's docstring),
    with `what` (the width, the font size or the formula renderer)."""
    h = hashlib.sha256(_code_and_fonts())
    # every field of the grid besides its cells, though table_pieces reads only some of them today: a
    # renderer that starts reading another one (a continuation caption) must not get stale pieces
    fields = (grid.key, grid.caption, grid.source, grid.landscape, grid.number, grid.label, list(grid.preamble),
              grid.paper, list(grid.levels), tuple(grid.tree_columns), grid.body_height, [list(p) for p in grid.parts])
    what = (what, fields, [float(c) for c in grid.columns], float(grid.font_size), len(grid.header))
    h.update(_plain(what))
    # the cells' part, made once per grid for the legibility check, the document and the workbook (render/fit.py)
    h.update(once_per_rows(grid, "cells digest", lambda: _cells_digest(grid)))
    return h.digest()


#: rows whose cells are digested at a time: the plain copy of all 400,000 cells of a province's
#: Tabel 6.2 at once was 70 MB more at the parent's peak, for the same work
DIGEST_ROWS = 2048


def _cells_digest(grid: Grid) -> bytes:
    h = hashlib.sha256()
    rows = grid.header + grid.body
    for at in range(0, len(rows), DIGEST_ROWS):
        h.update(_plain(_cells(rows[at:at + DIGEST_ROWS])))
    return h.digest()


def _cells(rows: list) -> list:
    # the cell fields render/table.py and render/fit.py read (a new one read there belongs here too)
    return [[(c.text, c.colspan, c.rowspan, c.bold, c.italic, c.align, c.indent, c.math, c.markdown, c.decimals,
              c.bottom)
             for c in row]
            for row in rows]


def _plain(value) -> bytes:
    try:
        # a tenth of pickle's time for 100,000 cells. Version 2: no back-references, which version 3
        # writes where one object appears twice, so that equal cells give equal bytes whether their
        # texts are one shared string (content from the cache) or equal copies (content just parsed)
        return b"m" + marshal.dumps(value, 2)
    except ValueError:  # a value of another type than the plain ones (a str subclass)
        return b"p" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _code_and_fonts() -> bytes:
    global _CODE
    if _CODE is None:
        import sys

        from renstra_gen.render import metrics

        package = Path(__file__).resolve().parents[1]
        h = hashlib.sha256(sys.version.encode())
        for path in sorted(package.rglob("*.py")):
            if "web" not in path.relative_to(package).parts:
                h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        for bold in (False, True):
            h.update(marshal.dumps(sorted(metrics.advances(bold).items()), 2))
        _CODE = h.digest()
    return _CODE


_CODE: bytes | None = None
