"""The change list between two composed Renstra: table values, rows, tables, chapters and paragraphs.

Computed from the two plans (the model as the build composes it), never from rendered text:
a table cell is known by its table, its row (code and name) and its column (header labels down to
the year), a paragraph by its chapter and heading. A change is *langsung* when the content says
so (a value written in the content, a sentence of the Markdown) and *dampak* when it follows
from another change: a computed cell (a parent's pagu, kondisi akhir, a total) or a narrative
sentence whose Markdown is the same but whose bound figures moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable

from renstra_gen.content import model as m
from renstra_gen.compose.renstra import Plan, _context, render_narrative
from renstra_gen.narrative.document import Block, Heading, Para, Place
from renstra_gen.errors import ContentError
from renstra_gen.grid import BELOW, START, Cell, Grid, placements

LANGSUNG, DAMPAK = "langsung", "dampak"
#: a program/kegiatan/sub kegiatan code ("1.06.01", "1.06.01.2.01.", "2.08.01.2.01.0001"), not an
#: amount printed with thousands dots ("3.664.994.835", in a JUMLAH row)
_CODE = re.compile(r"^\d+(\.\d{1,2})+(\.\d{4})?\.?$")
#: a cell that holds a value, not a name: "-", "250.000.000", "15,37", "85 %"
_VALUE = re.compile(r"^(?:[-\u2013]|Rp ?)?[\d.,]*\s*%?$")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=\S)")


@dataclass(frozen=True)
class Change:
    """One row of the matriks perubahan."""

    bagian: str  # the table ("Tabel 6.2 ...") or chapter ("BAB II ...") it belongs to
    jenis: str  # nilai diubah | baris ditambah | baris dihapus | tabel ditambah | ... | paragraf diubah
    sifat: str  # langsung | dampak
    tempat: str  # the row (code and name) or the sub-heading of a paragraph
    kolom: str  # the column (header labels, the year), or "" for rows and paragraphs
    lama: str
    baru: str
    berkas: str  # the content file the change is in (new side, or old side for removals)


def compare(old: Plan, new: Plan) -> list[Change]:
    """Every difference between two plans: identity, tables (in the new document's order), figures, narrative."""
    return _identity(old, new) + _tables(old, new) + _figures(old, new) + _narrative(old, new)


# what the cover and the signature print; the file lists (bab, lampiran) show as chapters and tables
_IDENTITY_SKIP = {"bab", "lampiran", "kata_pengantar", "slug"}


def _flat(value, path: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value, 1):
            yield from _flat(v, f"{path}[{i}]")
    else:
        yield path, "" if value is None else str(value)


def _identity(old: Plan, new: Plan) -> list[Change]:
    a = dict(_flat({k: v for k, v in old.identity.model_dump().items() if k not in _IDENTITY_SKIP}))
    b = dict(_flat({k: v for k, v in new.identity.model_dump().items() if k not in _IDENTITY_SKIP}))
    return [Change("Identitas dokumen", "nilai diubah", LANGSUNG, key, "", a.get(key, ""), b.get(key, ""),
                   "renstra.yaml") for key in list(b) + [k for k in a if k not in b] if a.get(key) != b.get(key)]


def _figures(old: Plan, new: Plan) -> list[Change]:
    """A figure whose content changed is one change (the picture is redrawn, not tracked word by word)."""
    trees = {id(old): old.figure_parts, id(new): new.figure_parts}

    def drawn(plan: Plan, f) -> tuple:  # what the picture is drawn from
        figure = f.figure
        if isinstance(figure, m.PerformanceTreeFigure):  # this part's boxes, from indikator.yaml and a program table
            keys = [k for k, g in plan.figures.items() if g.key == f.key]
            parts = trees[id(plan)].get(f.key) or []
            return figure.model_dump(), parts[keys.index(f.drawing)] if len(parts) == len(keys) else None
        org = plan.content.organisasi
        chart = isinstance(figure, m.OrgChartFigure) and org is not None
        return figure.model_dump(), org.model_dump() if chart else None

    out = []
    for key, f in new.figures.items():
        if key in old.figures and drawn(old, old.figures[key]) != drawn(new, f):
            out.append(Change(f.title, "gambar diubah", LANGSUNG, "", "", "(gambar lama)", "(digambar ulang)", f"gambar/{f.key}.yaml"))
    for key, f in new.figures.items():
        if key not in old.figures and f.key not in old.content.figures:
            out.append(Change(f.title, "gambar ditambah", LANGSUNG, "", "", "", f.caption, f"gambar/{f.key}.yaml"))
    for key, f in old.figures.items():
        if f.key not in new.content.figures:
            out.append(Change(f.title, "gambar dihapus", LANGSUNG, "", "", f.caption, "", f"gambar/{f.key}.yaml"))
    return out


def number_masker(plan: Plan):
    """A function giving a text of this plan the form in which renumbering compares equal:
    'Tabel 2.1', 'Gambar 3.1', 'Lampiran 1' become the key of what they number."""
    numbers = {g.title[: len(g.title) - len(g.caption)].strip(): key for key, g in plan.tables.items()}
    numbers.update({f"Gambar {f.number}": f"gambar:{key}" for key, f in plan.figures.items()})
    numbers.update({f"Lampiran {g.number}": f"lampiran:{g.key}" for g in plan.lampiran})
    return _masker(numbers)


def _masker(numbers: dict[str, str]):
    pattern = re.compile(r"\b(?:Tabel|Gambar|Lampiran) \d+(?:\.\d+)?")
    return lambda s: pattern.sub(lambda m: f"\u00ab{numbers.get(m.group(0), m.group(0))}\u00bb", s)


# ---------------------------------------------------------------- tables

def _grids(plan: Plan) -> dict[str, Grid]:
    return {**plan.tables, **{f"lampiran:{g.key}": g for g in plan.lampiran}}


def _file_of(plan: Plan, key: str) -> str:
    bare = key.split(":", 1)[-1]
    t = plan.content.tables.get(bare) or next((t for t in plan.content.lampiran if t.key == bare), None)
    src = getattr(t, "source", None)
    return str(src.file) if src is not None else f"tabel/{bare}.yaml"


def _texts(rows: list[list[Cell]], ncols: int) -> list[list[tuple[str, Cell | None]]]:
    """Each row as one (text, cell) per grid column; merged positions repeat nothing ("", None)."""
    out = []
    for slots in placements(rows, ncols):
        out.append([(c.text, c) if kind == START else ("", None) for _, c, kind in slots])
    return out


def _column_labels(g: Grid) -> list[str]:
    """Per grid column, the header labels above it joined ("2024 / Rp"); the (1) (2) row left out."""
    ncols = len(g.columns)
    labels: list[list[str]] = [[] for _ in range(ncols)]
    for slots in placements(g.header, ncols):
        for col, cell, kind in slots:
            text = " ".join(cell.text.split())
            if kind == BELOW or re.fullmatch(r"\(\d+\)", text) or not text:
                continue
            if not labels[col] or labels[col][-1] != text:
                labels[col].append(text)
    return [" / ".join(x) for x in labels]


def _row_place(row: list[tuple[str, Cell | None]]) -> tuple[str, str]:
    """(key for alignment, place to print): the row's code and name, else its first two cells."""
    texts = [" ".join(t.split()) for t, _ in row]
    for i, t in enumerate(texts):
        if _CODE.match(t):
            name = next((x for x in texts[i + 1:] if x), "")
            return f"code:{t}", f"{t} {name}".strip()
    first = [t for t in texts if t][:2]
    named = first[:1] + [t for t in first[1:] if not _VALUE.match(t)]  # "JUMLAH", not "JUMLAH -"
    return "|".join(first), " ".join(named)


def _tables(old: Plan, new: Plan) -> list[Change]:
    go, gn = _grids(old), _grids(new)
    out: list[Change] = []
    for key, g in gn.items():
        if key not in go:
            out.append(Change(g.title, "tabel ditambah", LANGSUNG, "", "", "", g.caption, _file_of(new, key)))
            continue
        out += _table(go[key], g, _file_of(new, key))
    for key, g in go.items():
        if key not in gn:
            out.append(Change(g.title, "tabel dihapus", LANGSUNG, "", "", g.caption, "", _file_of(old, key)))
    return out


def _table(a: Grid, b: Grid, file: str) -> list[Change]:
    out: list[Change] = []
    if a.caption != b.caption:
        out.append(Change(b.title, "judul tabel diubah", LANGSUNG, "", "", a.caption, b.caption, file))
    la, lb = _column_labels(a), _column_labels(b)
    ra, rb = _texts(a.body, len(a.columns)), _texts(b.body, len(b.columns))
    ka, kb = [_row_place(r) for r in ra], [_row_place(r) for r in rb]
    for i, j in _align([k for k, _ in ka], [k for k, _ in kb],
                       lambda i, j: " ".join(t for t, _ in ra[i]) and _similar(ra[i], rb[j])):
        if i is None:
            out.append(Change(b.title, "baris ditambah", LANGSUNG, kb[j][1], "", "", _row_text(rb[j]), file))
        elif j is None:
            out.append(Change(b.title, "baris dihapus", LANGSUNG, ka[i][1], "", _row_text(ra[i]), "", file))
        elif la == lb and len(ra[i]) == len(rb[j]):
            for col, ((ta, _), (tb, cell)) in enumerate(zip(ra[i], rb[j])):
                if " ".join(ta.split()) != " ".join(tb.split()):
                    sifat = DAMPAK if cell is not None and cell.formula is not None else LANGSUNG
                    out.append(Change(b.title, "nilai diubah", sifat, kb[j][1], lb[col], ta, tb, file))
        elif _row_text(ra[i]) != _row_text(rb[j]):
            out.append(Change(b.title, "baris diubah", LANGSUNG, kb[j][1], "", _row_text(ra[i]), _row_text(rb[j]), file))
    return out


def _row_text(row) -> str:
    return " | ".join(" ".join(t.split()) for t, _ in row if t.strip())


def _similar(a, b) -> bool:
    return SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False).ratio() >= 0.6


def _align(a: list[str], b: list[str], similar) -> Iterable[tuple[int | None, int | None]]:
    """Index pairs: equal keys first, then inside a differing stretch the first similar later item."""
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2))
            continue
        j = j1
        for i in range(i1, i2):
            match = next((k for k in range(j, min(j2, j + 64)) if similar(i, k)), None)
            if match is None:
                yield i, None
                continue
            for k in range(j, match):
                yield None, k
            yield i, match
            j = match + 1
        for k in range(j, j2):
            yield None, k


# ---------------------------------------------------------------- narrative

@dataclass
class _Chapter:
    label: str
    file: str
    blocks: list[Block]


def _chapters(plan: Plan, blocks_of_kata: list[Block] | None = None) -> dict[str, _Chapter]:
    out: dict[str, _Chapter] = {}
    c = plan.content
    if c.kata_pengantar is not None and plan.kata_pengantar:
        out[c.kata_pengantar.file] = _Chapter("KATA PENGANTAR", c.kata_pengantar.file, plan.kata_pengantar)
    for ch, f in zip(plan.chapters, c.chapters):
        out[f.file] = _Chapter(f"{ch.label} {ch.title}", f.file, ch.blocks)
    return out


def _rerendered(old: Plan, new: Plan) -> dict[str, set[str]]:
    """The old Markdown rendered with the new data: per file, the paragraph texts it gives.

    A new paragraph found here changed through its data only (dampak), not through its words."""
    findings: list = []
    c = new.content
    try:
        story = render_narrative(old.content.chapters, old.content.kata_pengantar, c.tables, c.figures,
                                 lambda places: _context(c, new.derived, places), findings,
                                 {key: len(p) for key, p in new.figure_parts.items()}, scope=f"{c.root}\0lama")
    except ContentError:  # the old text does not render with the new data (a table removed): all langsung
        return {}
    kinds = {key: kind for kind, key, _, _ in story.order}
    mask = _masker({f"{'Tabel' if kinds[key] == 'tabel' else 'Gambar'} {n}": key if kinds[key] == "tabel" else f"gambar:{key}"
                    for key, n in story.numbers.items()})
    out: dict[str, set[str]] = {}
    for ch in story.chapters:
        f = old.content.chapters[ch.number - 1].file
        out[f] = {_para_key(b, mask) for b in ch.blocks if isinstance(b, Para)}
    if old.content.kata_pengantar is not None:
        out[old.content.kata_pengantar.file] = {_para_key(b, mask) for b in story.kata_pengantar if isinstance(b, Para)}
    return out


def _para_key(b: Para, mask=None) -> str:
    text = " ".join(b.text.split())
    return mask(text) if mask else text


def _block_sig(b: Block, mask) -> str:
    if isinstance(b, Heading):
        return f"h{b.level}:{b.text}"
    if isinstance(b, Place):
        return f"place:{b.kind}:{b.key}"
    return f"p:{b.marker or ''}:{_para_key(b, mask)}"


def _narrative(old: Plan, new: Plan) -> list[Change]:
    co, cn = _chapters(old), _chapters(new)
    hybrid = _rerendered(old, new)
    out: list[Change] = []
    for file, ch in cn.items():
        if file not in co:
            out.append(Change(ch.label, "BAB ditambah", LANGSUNG, "", "", "", ch.label, file))
            continue
        prev = co[file]
        if prev.label != ch.label and prev.label.split(" ", 2)[2:] != ch.label.split(" ", 2)[2:]:
            out.append(Change(ch.label, "judul BAB diubah", LANGSUNG, "", "", prev.label, ch.label, file))
        out += _chapter(prev, ch, hybrid.get(file, set()), number_masker(old), number_masker(new))
    for file, ch in co.items():
        if file not in cn:
            out.append(Change(ch.label, "BAB dihapus", LANGSUNG, "", "", ch.label, "", file))
    return _moves(out)


def _moves(changes: list[Change]) -> list[Change]:
    """A table or figure placed elsewhere is one change, not a removal and an addition."""
    added = {c.baru: c for c in changes if c.jenis == "penempatan ditambah"}
    removed = {c.lama: c for c in changes if c.jenis == "penempatan dihapus"}
    out = []
    for c in changes:
        if c.jenis == "penempatan ditambah" and c.baru in removed:
            r = removed[c.baru]
            out.append(Change(c.bagian, "penempatan dipindah", LANGSUNG, c.baru, "", f"{r.bagian}, {r.tempat}",
                              f"{c.bagian}, {c.tempat}", c.berkas))
        elif not (c.jenis == "penempatan dihapus" and c.lama in added):
            out.append(c)
    return out


def _where(b: Block | None, heading: str) -> str:
    """A paragraph's place: the sub-heading it stands under (line numbers shift with placements)."""
    return heading or "(awal BAB)"


def _chapter(a: _Chapter, b: _Chapter, hybrid: set[str], mask_a, mask_b) -> list[Change]:
    out: list[Change] = []
    sa, sb = [_block_sig(x, mask_a) for x in a.blocks], [_block_sig(x, mask_b) for x in b.blocks]

    def similar(i, j):
        x, y = a.blocks[i], b.blocks[j]
        if type(x) is not type(y) or isinstance(x, Place):
            return False
        wx, wy = x.text.split(), y.text.split()
        return SequenceMatcher(None, wx, wy, autojunk=False).ratio() >= 0.5

    heading = ""
    for i, j in _align(sa, sb, similar):
        blk = b.blocks[j] if j is not None else a.blocks[i]
        if isinstance(blk, Heading) and j is not None:
            heading = f"{blk.number} {blk.text}"
        if i is not None and j is not None:
            x, y = a.blocks[i], b.blocks[j]
            if isinstance(y, Heading) and x.text != y.text:
                out.append(Change(b.label, "subjudul diubah", LANGSUNG, heading, "", x.text, y.text, b.file))
            elif isinstance(y, Para) and _para_key(x, mask_a) != _para_key(y, mask_b):
                sifat = DAMPAK if _para_key(y, mask_b) in hybrid else LANGSUNG
                lama, baru = _changed_sentences(_para_key(x), _para_key(y), mask_a, mask_b)
                out.append(Change(b.label, "paragraf diubah", sifat, _where(y, heading), "kalimat", lama, baru, b.file))
            continue
        kind = {Heading: "subjudul", Para: "paragraf", Place: "penempatan"}[type(blk)]
        text = f"{blk.kind} {blk.key}" if isinstance(blk, Place) else (blk.text if isinstance(blk, Heading) else _para_key(blk))
        where = _where(blk, heading)
        if isinstance(blk, Place):  # say where: after which text
            blocks, k = (a.blocks, i) if j is None else (b.blocks, j)
            before = next((x for x in reversed(blocks[:k]) if not isinstance(x, Place)), None)
            if before is not None:
                words = before.text.split()
                where += f", setelah \u00ab{' '.join(words[:8])}{' ...' if len(words) > 8 else ''}\u00bb"
        sifat = LANGSUNG
        if isinstance(blk, Para) and hybrid:  # a list item that comes and goes with the data
            in_hybrid = _para_key(blk, mask_a if j is None else mask_b) in hybrid
            sifat = DAMPAK if in_hybrid == (j is not None) else LANGSUNG
        if j is None:
            out.append(Change(a.label, f"{kind} dihapus", sifat, where, "", text, "", a.file))
        else:
            out.append(Change(b.label, f"{kind} ditambah", sifat, where, "", "", text, b.file))
    return out


def _changed_sentences(a: str, b: str, mask_a, mask_b) -> tuple[str, str]:
    """The sentences of a paragraph that differ, old and new (the rest, and renumbering, is context)."""
    xa, xb = _SENTENCE.split(a), _SENTENCE.split(b)
    old, new = [], []
    ka, kb = [mask_a(x) for x in xa], [mask_b(x) for x in xb]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag != "equal":
            old += xa[i1:i2]
            new += xb[j1:j2]
    return " ".join(old), " ".join(new)
