"""The pohon kinerja as boxes: tujuan -> sasaran -> program -> kegiatan (-> sub kegiatan) with their
indicators, taken from indikator.yaml and a program-pendanaan table in the cascade form, and split
into one figure per tujuan when the whole tree would print below the minimum font size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from renstra_gen.content import model as m
from renstra_gen.compute.cascade import Cascade, code_keys, supporting
from renstra_gen.layout.page import printed_size

if TYPE_CHECKING:
    from renstra_gen.content.load import Content

LEVELS = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
HEADER = {"tujuan": "TUJUAN", "sasaran": "SASARAN", "program": "PROGRAM", "kegiatan": "KEGIATAN",
          "sub_kegiatan": "SUB KEGIATAN"}

# metrics shared with the DOT writer (render/figures.py); sizes in points and inches at 100 %
FONT_PT = 10.0  # every line of a box
MIN_FONT_PT = 7.0  # the smallest a box's text may print at once the drawing is scaled to the page
WRAP = 30  # characters per line of a box
LINE_IN = FONT_PT * 1.2 / 72


def text_in(s: str, bold: bool = False) -> float:
    """The estimated width (inches) of a line in Arial at FONT_PT: capitals and digits wider than
    small letters, spaces and punctuation narrower (bold about a tenth wider)."""
    em = sum(0.70 if c.isupper() else 0.56 if c.isalnum() else 0.30 for c in s)
    return em * FONT_PT / 72 * (1.1 if bold else 1.0)
BOX_MARGIN_IN = (0.12, 0.08)  # Graphviz node margin (x, y)
ESTIMATE_MARGIN = 1.05  # the estimated size may be this much too small
NODESEP_IN = 0.25
RANKSEP_IN = 0.4


def wrap(s: str, width: int = WRAP) -> list[str]:
    """Words to lines of at most `width` characters (a longer word stays whole)."""
    lines, cur = [], ""
    for w in s.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return lines


#: a parent with this many children on the lowest level drawn lists them in one box, one under the
#: other, instead of side by side (a Penunjang program's seven kegiatan would triple the tree's width)
LIST_FROM = 3
LIST_CELL_IN = 0.16  # height of a listed item beyond its lines: its cell's padding (5 pt twice) and border


@dataclass(frozen=True)
class Box:
    """One box of the tree: its level, heading ("PROGRAM 2.08.02"), name and indicator lines; or,
    with `items`, the list of a parent's children on the lowest level (one cell each)."""

    id: str  # DOT node id: t1, t1s2, t1s2p1, t1s2p1k1, t1s2p1k1u1; a list: t1s2p1k
    level: str
    header: str
    nama: str
    indikator: tuple[str, ...]
    parent: str | None
    items: tuple[Box, ...] = ()

    def lines(self) -> list[str]:
        """The printed lines after the heading (the name, then each indicator as 'IK: ...');
        a list: each item's heading and lines."""
        if self.items:
            return [line for item in self.items for line in [item.header] + item.lines()]
        out = wrap(self.nama)
        for ind in self.indikator:
            out += wrap(f"IK: {ind}")
        return out

    def size(self) -> tuple[float, float]:
        """Estimated width and height (inches) at 100 %."""
        if self.items:
            width = max(item.size()[0] for item in self.items)
            return width, sum((1 + len(item.lines())) * LINE_IN + LIST_CELL_IN for item in self.items)
        lines = self.lines()
        width = max([text_in(self.header, bold=True)] + [text_in(s) for s in lines]) + 2 * BOX_MARGIN_IN[0]
        return width, (1 + len(lines)) * LINE_IN + 2 * BOX_MARGIN_IN[1]


@dataclass(frozen=True)
class Part:
    """One figure: the boxes of the whole tree or of one tujuan, in drawing order (depth first)."""

    label: str  # "" for the whole tree, else "Tujuan 1"
    boxes: tuple[Box, ...]

    def leaves(self) -> list[Box]:
        parents = {b.parent for b in self.boxes}
        return [b for b in self.boxes if b.id not in parents]

    def natural_size(self) -> tuple[float, float]:
        """Estimated width and height (inches) of the drawing at 100 %: each subtree as wide as its
        box or its children side by side, whichever is wider; the levels one above the other."""
        children: dict[str | None, list[Box]] = {}
        for b in self.boxes:
            children.setdefault(b.parent, []).append(b)

        def span(b: Box) -> float:
            kids = children.get(b.id, [])
            below = sum(span(k) for k in kids) + NODESEP_IN * max(0, len(kids) - 1)
            return max(b.size()[0], below)

        roots = children.get(None, [])
        width = sum(span(r) for r in roots) + NODESEP_IN * max(0, len(roots) - 1)
        levels = [lv for lv in LEVELS if any(b.level == lv for b in self.boxes)]
        height = sum(max(b.size()[1] for b in self.boxes if b.level == lv) for lv in levels)
        return width, height + RANKSEP_IN * max(0, len(levels) - 1)

    def scale(self, fit: tuple[float, float]) -> float:
        """How much the drawing is scaled to fit `fit` (inches); 1 when it fits as it is."""
        w, h = self.natural_size()
        return min(1.0, fit[0] / w, fit[1] / h)

    def legible(self, fit: tuple[float, float]) -> bool:
        """Whether the text prints at MIN_FONT_PT or more, with a margin for the estimate (within a
        few per cent of Graphviz's own layout on the fixtures, mostly larger)."""
        return FONT_PT * self.scale(fit) >= MIN_FONT_PT * ESTIMATE_MARGIN


def program_table(fig: m.PerformanceTreeFigure, tables: dict[str, m.TableBase]) -> m.ProgramTable | None:
    """The program-pendanaan table the tree is drawn from: `tabel`, else the only one (None: none fits)."""
    if fig.tabel is not None:
        t = tables.get(fig.tabel)
        return t if isinstance(t, m.ProgramTable) else None
    found = [t for t in tables.values() if isinstance(t, m.ProgramTable)]
    return found[0] if len(found) == 1 else None


def _indicator_lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def tree(fig: m.PerformanceTreeFigure, table: m.ProgramTable, indicators: m.IndicatorSet) -> list[Part]:
    """One part per tujuan, in the order of indikator.yaml; programs under the (first) sasaran they
    name, in code order (as every table prints them); supporting programs and programs naming no
    known sasaran are left out (check reports the latter)."""
    cascade = Cascade(indicators)
    serving: dict[str, list[m.Program]] = {}
    keys = code_keys([p.kode for p in table.program])
    for _, p in sorted(zip(keys, table.program), key=lambda kp: kp[0]):  # code order, as every table
        place = cascade.of_program(p) if not supporting(p) else None  # a supporting program serves no sasaran
        if place is not None:
            serving.setdefault(place.sasaran.kunci, []).append(p)
    depth = LEVELS.index(fig.sampai)
    parts = []
    for ti, t in enumerate(indicators.tujuan, 1):
        tid = f"t{ti}"
        own = tuple(i.nama for i in indicators.indikator if not i.sasaran and i.tujuan == t.kunci)
        boxes = [Box(tid, "tujuan", f"TUJUAN {ti}", t.nama, own, None)]
        for si, s in enumerate(t.sasaran, 1):
            sid = f"{tid}s{si}"
            inds = tuple(i.nama for i in indicators.indikator if i.sasaran == s.kunci)
            boxes.append(Box(sid, "sasaran", f"SASARAN {ti}.{si}", s.nama, inds, tid))
            for pi, p in enumerate(serving.get(s.kunci, []), 1):
                pid = f"{sid}p{pi}"
                boxes.append(Box(pid, "program", _heading("program", p.kode), p.nama, _indicator_lines(p.indikator), sid))
                if depth < LEVELS.index("kegiatan"):
                    continue
                for ki, k in enumerate(p.kegiatan, 1):
                    kid = f"{pid}k{ki}"
                    boxes.append(Box(kid, "kegiatan", _heading("kegiatan", k.kode), k.nama,
                                     _indicator_lines(k.indikator), pid))
                    if depth < LEVELS.index("sub_kegiatan"):
                        continue
                    for ui, u in enumerate(k.sub_kegiatan, 1):
                        boxes.append(Box(f"{kid}u{ui}", "sub_kegiatan", _heading("sub_kegiatan", u.kode), u.nama,
                                         _indicator_lines(u.indikator), kid))
        parts.append(Part(f"Tujuan {ti}", tuple(_listed(boxes, fig.sampai))))
    return parts


def _listed(boxes: list[Box], lowest: str) -> list[Box]:
    """The boxes with the children of a parent on the lowest level drawn put in one list box
    (in their place, in order) when the parent has LIST_FROM of them or more."""
    counts: dict[str | None, int] = {}
    for b in boxes:
        if b.level == lowest:
            counts[b.parent] = counts.get(b.parent, 0) + 1
    out: list[Box] = []
    for b in boxes:
        if b.level != lowest or counts[b.parent] < LIST_FROM:
            out.append(b)
        elif out[-1].level != lowest or out[-1].parent != b.parent or not out[-1].items:
            out.append(Box(f"{b.parent}{b.id[len(b.parent):][0]}", lowest, HEADER[lowest], "", (), b.parent, (b,)))
        else:
            out[-1] = Box(out[-1].id, lowest, HEADER[lowest], "", (), b.parent, out[-1].items + (b,))
    return out


def _heading(level: str, kode: str | None) -> str:
    return f"{HEADER[level]} {kode}" if kode else HEADER[level]


def parts(fig: m.PerformanceTreeFigure, tables: dict[str, m.TableBase], indicators: m.IndicatorSet,
          fit: tuple[float, float]) -> list[Part]:
    """The figures printed for `fig`: the whole tree as one, or one per tujuan when `per_tujuan`
    says so or (left out) when the whole tree would print below MIN_FONT_PT at `fit` (inches).
    Empty when there is no program table to draw from (check reports it)."""
    table = program_table(fig, tables)
    if table is None or not indicators.tujuan:
        return []
    per = tree(fig, table, indicators)
    whole = Part("", tuple(b for p in per for b in p.boxes))
    split = fig.per_tujuan if fig.per_tujuan is not None else (len(per) > 1 and not whole.legible(fit))
    return per if split else [whole]


def figure_parts(content: Content) -> dict[str, list[Part]]:
    """The parts of every pohon kinerja figure (one per tujuan when split; none when it cannot be drawn)."""
    fit = printed_size(content.identity.kertas, landscape=True)
    return {key: parts(f, content.tables, content.indicators, fit)
            for key, f in content.figures.items() if isinstance(f, m.PerformanceTreeFigure)}
