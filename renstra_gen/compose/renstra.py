"""Composes the document: renders the narrative, numbers tables and figures per BAB, lays out tables."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

from renstra_gen.content import model as m
from renstra_gen.content.attachments import Attachment
from renstra_gen.errors import ContentError, Finding, Source, error, warning
from renstra_gen.grid import Grid
from renstra_gen.compute.derived import Derived, derive
from renstra_gen.layout import layout_table, pohon
from renstra_gen.layout.berita_acara import BeritaAcara
from renstra_gen.layout.verifikasi import Verification, verification
from renstra_gen.content.load import Content, TextFile
from renstra_gen.narrative.document import Block, Heading
from renstra_gen.narrative.markdown import Raw, md_escape, parse_markdown, placement, render_jinja

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Chapter:
    number: int
    title: str
    blocks: list[Block]

    @property
    def label(self) -> str:
        return f"BAB {ROMAN[self.number - 1]}" if self.number <= len(ROMAN) else f"BAB {self.number}"


@dataclass
class FigurePlan:
    """One printed figure. A pohon kinerja split per tujuan is several, one per part: `key` names
    the content's figure, `drawing` the picture (key of Plan.figures and of the drawn PNGs)."""

    key: str
    number: str
    caption: str
    figure: m.Node
    source: str | None = None
    drawing: str = ""
    landscape: bool = False

    @property
    def title(self) -> str:
        return f"Gambar {self.number} {self.caption}"


@dataclass
class Plan:
    """The whole document, ready to render: nothing left to compute."""

    identity: m.Identity
    kata_pengantar: list[Block]
    chapters: list[Chapter]
    tables: dict[str, Grid]
    figures: dict[str, FigurePlan]
    lampiran: list[Grid]
    derived: Derived
    content: Content
    warnings: list[Finding] = field(default_factory=list)
    verification: Verification | None = None  # the Halaman Verifikasi, when printed
    attachments: list[Attachment] = field(default_factory=list)  # documents after the Lampiran tables
    figure_parts: dict[str, list[pohon.Part]] = field(default_factory=dict)  # each pohon kinerja as drawn
    #: the Berita Acara Verifikasi from a review record: after the Halaman Verifikasi (Renstra), in the Lampiran (Renja)
    berita_acara: BeritaAcara | None = None


def drawing_keys(key: str, parts: int) -> list[str]:
    """The picture keys of a figure printed as `parts` figures ('pohon', or 'pohon#1', 'pohon#2')."""
    return [key] if parts <= 1 else [f"{key}#{i}" for i in range(1, parts + 1)]


class Placements:
    """Records where tables and figures are placed, and answers nomor() once numbers are known."""

    def __init__(self, tables: dict, figures: dict, numbers: dict[str, str] | None, sizes: dict[str, int] | None = None,
                 unavailable: set[str] = frozenset()):
        self.unavailable = unavailable  # files that failed to load (renstra check goes on without them)
        self.tables = tables
        self.figures = figures
        self.numbers = numbers
        self.sizes = sizes or {}  # figures printed as several numbered parts: key -> how many
        self.order: list[tuple[str, str, int, Source]] = []  # (kind, key, chapter, where)
        self.chapter = 0
        self.file = ""

    def _check(self, kind: str, key: str) -> None:
        pool = self.tables if kind == "tabel" else self.figures
        if key not in pool and f"{kind}/{key}.yaml" in self.unavailable:
            raise ContentError([])  # its own errors are reported; this text is not rendered further
        if key not in pool:
            msg = f"{kind} '{key}' tidak ada (tidak ada berkas {kind}/{key}.yaml)"
            close = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.6)
            if close:
                msg += f"; maksud Anda '{close[0]}'?"
            raise ContentError([error(Source(self.file), msg)])

    def place(self, kind: str, key: str) -> Raw:
        self._check(kind, key)
        self.order.append((kind, key, self.chapter, Source(self.file)))
        return placement(kind, key)

    def nomor(self, key: str) -> Raw:
        kind = "tabel" if key in self.tables or f"tabel/{key}.yaml" in self.unavailable else "gambar"
        self._check(kind, key)
        if self.numbers is None:
            return Raw(f"{kind.title()} 0.0")
        if key not in self.numbers:
            raise ContentError([error(Source(self.file), f"{kind} '{key}' dirujuk tetapi tidak ditempatkan di teks")])
        n = self.sizes.get(key, 1) if kind == "gambar" else 1
        if n > 1:  # Gambar 4.1–4.2
            chapter, first = self.numbers[key].rsplit(".", 1)
            return Raw(f"{kind.title()} {self.numbers[key]}–{chapter}.{int(first) + n - 1}")
        return Raw(f"{kind.title()} {self.numbers[key]}")


def struktur_organisasi(org: m.Organisasi | None, unavailable: set[str] | None = None) -> Raw:
    """The lettered list of the organisation structure, as Markdown."""
    if org is None:
        raise ContentError([error(Source("organisasi.yaml"), "berkas organisasi.yaml tidak ada")] if unavailable is None
                           or "organisasi.yaml" not in unavailable else [])
    lines = [md_escape(org.kalimat_pengantar), ""] if org.kalimat_pengantar else []
    n = len(org.unit)
    for i, u in enumerate(org.unit):
        letter = chr(ord("a") + i)
        tail = " membawahi:" if u.bawahan else ("; dan" if i == n - 2 else ("" if i == n - 1 else ";"))
        lines.append(f"{letter}. {md_escape(u.nama)}{tail}")
        for j, sub in enumerate(u.bawahan, 1):
            end = "; dan" if j == len(u.bawahan) - 1 else ("." if j == len(u.bawahan) else ";")
            lines.append(f"   ({j}) {md_escape(sub)}{end}")
    return Raw("\n".join(lines) + "\n")


def _context(content: Content, derived: Derived, places: Placements) -> dict[str, Any]:
    def data(key: str):
        places._check("tabel", key)
        return derived.get(key)

    return {
        "renstra": content.identity,
        "tabel": lambda key: places.place("tabel", key),
        "gambar": lambda key: places.place("gambar", key),
        "nomor": places.nomor,
        "data": data,
        "indikator": lambda key: derived.indicators.get(key),
        "struktur_organisasi": lambda: struktur_organisasi(content.organisasi, content.unavailable),
    }


@dataclass
class Narrative:
    """Chapters and Kata Pengantar rendered, with every placement numbered per BAB."""

    chapters: list[Chapter]
    kata_pengantar: list[Block]
    numbers: dict[str, str]  # key -> "2.1"
    order: list[tuple[str, str, int, Source]]  # (kind, key, chapter, where) in placement order


def render_narrative(chapters: list[TextFile], kata: TextFile | None, tables: dict, figures: dict,
                     make_context: Callable[[Placements], dict[str, Any]], findings: list[Finding],
                     sizes: dict[str, int] | None = None, unavailable: set[str] = frozenset(),
                     scope: str = "") -> Narrative:
    """Render every narrative file twice: once to learn where tables and figures are placed, once
    with their numbers known (so inserting a table renumbers the rest and every reference).

    `sizes`: figures printed as several numbered parts (key -> how many); numbers[key] is the first.
    `scope`: whose texts these are (the content folder), for the parsed blocks kept between builds."""
    sizes = sizes or {}
    failed: set[str] = set()  # files whose first pass failed: reported once, not rendered again
    files = [(n, c) for n, c in enumerate(chapters, 1)] + ([(0, kata)] if kata else [])

    def render_all(numbers: dict[str, str] | None) -> tuple[Placements, list[str | None]]:
        places = Placements(tables, figures, numbers, sizes, unavailable)
        ctx = make_context(places)
        texts: list[str | None] = []
        for n, f in files:
            places.chapter, places.file = n, f.file
            if f.file in failed:
                texts.append(None)
                continue
            try:
                texts.append(render_jinja(f.text, f.file, ctx))
            except ContentError as e:
                findings.extend(e.findings)
                failed.add(f.file)
                texts.append(None)
        return places, texts

    first, _ = render_all(None)
    numbers, counters, seen = {}, {}, {}
    for kind, key, chapter, where in first.order:
        if key in seen:
            findings.append(error(where, f"{kind} '{key}' ditempatkan dua kali (pertama di {seen[key]})"))
            continue
        seen[key] = where
        numbers[key] = f"{chapter}.{counters.get((kind, chapter), 0) + 1}"
        counters[(kind, chapter)] = counters.get((kind, chapter), 0) + (max(1, sizes.get(key, 1)) if kind == "gambar" else 1)
    _, texts = render_all(numbers)

    out = []
    for n, (chapter, text) in enumerate(zip(chapters, texts), 1):
        if text is None:
            continue
        blocks = parse_markdown(text, chapter.file, n, scope)
        title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")
        if not title:
            findings.append(error(Source(chapter.file, 1), "judul BAB (baris '# JUDUL') tidak ada"))
        out.append(Chapter(n, title, [b for b in blocks if not (isinstance(b, Heading) and b.level == 1)]))
    kata_text = texts[-1] if kata else None
    kata_blocks = parse_markdown(kata_text, kata.file, None, scope) if kata_text else []
    return Narrative(out, kata_blocks, numbers, first.order)


def compose(content: Content, derived: Derived | None = None, parts: dict[str, list[pohon.Part]] | None = None) -> Plan:
    """Render the narrative, number tables and figures per BAB, and lay out every table.

    `derived` and `parts` (the pohon kinerja figures' parts, pohon.figure_parts): if already at hand."""
    derived = derived or derive(content.tables, content.identity.periode.years, content.indicators,
                                 content.lampiran)
    findings: list[Finding] = []
    trees = parts if parts is not None else pohon.figure_parts(content)
    story = render_narrative(content.chapters, content.kata_pengantar, content.tables, content.figures,
                             lambda places: _context(content, derived, places), findings,
                             {key: len(p) for key, p in trees.items()}, content.unavailable, str(content.root))

    tables: dict[str, Grid] = {}
    for kind, key, _, _ in story.order:
        if kind != "tabel" or key in tables:
            continue
        grid = _layout(content.tables[key], derived, findings)
        if grid is not None:
            grid.number = story.numbers[key]
            tables[key] = grid
    placed = {key for _, key, _, _ in story.order}
    for key, t in content.tables.items():
        if key not in placed:
            findings.append(warning(t.source, f"tabel '{key}' tidak ditempatkan di teks mana pun "
                                    f"(tulis {{{{ tabel(\"{key}\") }}}} di BAB yang sesuai)"))
    figures: dict[str, FigurePlan] = {}
    for kind, key, _, _ in story.order:
        if kind != "gambar" or key not in story.numbers or key in figures:
            continue
        f = content.figures[key]
        if key not in trees:
            figures[key] = FigurePlan(key, story.numbers[key], f.judul, f, getattr(f, "sumber", None), key)
            continue
        if not trees[key]:
            findings.append(error(f.source, "pohon kinerja tidak dapat digambar: tidak ada tabel program-pendanaan "
                                            "atau tujuan di indikator.yaml"))
            continue
        chapter, first = story.numbers[key].rsplit(".", 1)
        parts = trees[key]
        for i, (part, drawing) in enumerate(zip(parts, drawing_keys(key, len(parts)))):
            caption = f"{f.judul}: {part.label}" if len(parts) > 1 else f.judul
            figures[drawing] = FigurePlan(key, f"{chapter}.{int(first) + i}", caption, f, f.sumber, drawing, True)
    lampiran = []
    for n, t in enumerate(content.lampiran, 1):
        grid = _layout(t, derived, findings)
        if grid is not None:
            grid.number = str(n)
            lampiran.append(grid)

    if any(f.is_error for f in findings):
        raise ContentError(findings)
    ident = content.identity
    v = ident.verifikasi  # the Renstra prints the page only when renstra.yaml asks for it
    page = verification(v, ident, f"{ident.judul.title()} {ident.perangkat_daerah.nama} Tahun "
                                  f"{ident.periode.awal}–{ident.periode.akhir}") if v and v.tampil else None
    return Plan(ident, story.kata_pengantar, story.chapters, tables, figures, lampiran, derived,
                content, [f for f in findings if not f.is_error], page, figure_parts=trees)


def _layout(table: m.TableBase, derived: Derived, findings: list[Finding]) -> Grid | None:
    try:
        return layout_table(table, derived)
    except ValueError as e:
        findings.append(error(table.source, str(e)))
        return None
