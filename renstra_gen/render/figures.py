"""Figures drawn from data: the organisation chart and flow diagrams, as Graphviz DOT, then PNG."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from renstra_gen.compose.renstra import drawing_keys
from renstra_gen.content import model as m
from renstra_gen.errors import ConversionError
from renstra_gen.layout import pohon
from renstra_gen.layout.page import printed_size
from renstra_gen.system.cache import cache_dir

if TYPE_CHECKING:
    from renstra_gen.content.load import Content

DPI = 300  # at the size the figure is printed (see printed_size)
FONT = "Arial"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _q(s: str) -> str:
    """A DOT double-quoted string (escaped; line breaks kept)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(s: str, width: int = 22) -> str:
    return "\n".join(pohon.wrap(s, width))


def role(unit: m.OrgUnit, index: int) -> str:
    if unit.posisi:
        return unit.posisi
    name = unit.nama.lower()
    if index == 0:
        return "pimpinan"
    if name.startswith("sekretari"):
        return "sekretariat"
    # the kind the name declares comes before the guess from sub units: a bidang without seksi is a
    # bidang, a UPT(D) with a Sub Bagian TU is a UPT(D)
    if name.startswith("bidang"):
        return "bidang"
    if name.startswith(("upt", "unit pelaksana")):
        return "unit-pelaksana"
    if unit.bawahan:
        return "bidang"
    if "fungsional" in name:
        return "fungsional"
    return "unit-pelaksana"


def _graph(attrs: str, fit: tuple[float, float] | None) -> str:
    """The graph attribute line; `fit` (inches) scales a larger drawing down to that size."""
    size = f'size="{fit[0]:.2f},{fit[1]:.2f}", ' if fit else ""
    return f'  graph [{size}{attrs}, dpi={DPI}, fontname="{FONT}"];'


def org_chart_dot(org: m.Organisasi, fit: tuple[float, float] | None = None) -> str:
    """A top-down box chart as in a Perbup's bagan: the head at the top; the secretariat and the
    functional group (dashed) on the staff line below it, the secretariat's sub-units in a row under
    it; the line units (bidang) below those, each with its sub-units in a column; UPT at the bottom."""
    lines = [
        "digraph organisasi {",
        _graph("rankdir=TB, splines=ortho, nodesep=0.18, ranksep=0.3", fit),
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize=12, margin="0.08,0.05", width=1.3];',
        "  edge [arrowhead=none];",
    ]
    roles = [(f"u{i}", u, role(u, i)) for i, u in enumerate(org.unit)]
    head = next((nid for nid, _, r in roles if r == "pimpinan"), roles[0][0])
    for nid, u, r in roles:
        style = ', style="bold"' if r == "pimpinan" else (', style="dashed"' if r == "fungsional" else "")
        lines.append(f"  {nid} [label={_q(_wrap(u.nama.upper(), 18))}{style}];")
        for j, sub in enumerate(u.bawahan):
            lines.append(f"  {nid}_{j} [label={_q(_wrap(sub, 20))}, fontsize=11];")
    side = [nid for nid, _, r in roles if r in ("sekretariat", "fungsional")]
    staff_rows = 2 if any(u.bawahan for nid, u, _ in roles if nid in side) else 1
    line_units = [nid for nid, _, r in roles if r == "bidang"]
    bottom = [nid for nid, _, r in roles if r == "unit-pelaksana"]
    # a UPT(D) with its own sub units sits in a row below the deepest bidang column, its sub units
    # under it (rank=sink would pull the UPT(D) below its own sub units)
    bottom_subs = any(u.bawahan for _, u, r in roles if r == "unit-pelaksana")
    line_rank = staff_rows + 1 if side else 1
    depth = max((len(u.bawahan) for _, u, r in roles if r == "bidang"), default=0)
    bottom_len = line_rank + depth + 1 if line_units else line_rank
    for nid, _, r in roles:
        if nid == head:
            continue
        attrs = {"fungsional": "style=dashed", "bidang": f"minlen={staff_rows + 1}" if side else "",
                 "unit-pelaksana": f"minlen={bottom_len}" if bottom_subs else "minlen=3"}.get(r, "")
        lines.append(f"  {head} -> {nid}" + (f" [{attrs}]" if attrs else "") + ";")
    for nid, u, _ in roles:
        subs = [f"{nid}_{j}" for j in range(len(u.bawahan))]
        if nid in side:  # the staff's sub-units side by side under it
            lines += [f"  {nid} -> {b};" for b in subs]
            if len(subs) > 1:
                lines.append("  { rank=same; " + " ".join(subs) + " }")
            continue
        # a line unit's sub-units hang below it in a column, which keeps the chart narrow
        chain = [nid] + subs
        lines += [f"  {a} -> {b};" for a, b in zip(chain, chain[1:])]
    if side:
        lines.append("  { rank=same; " + " ".join(side) + " }")
    if line_units:
        lines.append("  { rank=same; " + " ".join(line_units) + " }")
    if bottom:
        lines.append("  { rank=" + ("same" if bottom_subs else "sink") + "; " + " ".join(bottom) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def flow_dot(fig: m.FlowFigure, fit: tuple[float, float] | None = None) -> str:
    rankdir = "TB" if fig.arah == "atas-bawah" else "LR"
    lines = [
        "digraph alur {",
        _graph(f"rankdir={rankdir}, nodesep=0.4, ranksep=0.45", fit),
        f'  node [shape=box, fontname="{FONT}", fontsize=10, margin="0.15,0.08", width=1.5];',
        f'  edge [fontname="{FONT}", fontsize=8];',
    ]
    groups: dict[str, list[str]] = {}
    for n in fig.simpul:
        lines.append(f"  {_q(n.kunci)} [label={_q(_wrap(n.teks, 18))}];")
        if n.kelompok:
            groups.setdefault(n.kelompok, []).append(_q(n.kunci))
    for e in fig.hubungan:
        attrs = []
        if e.putus:
            attrs.append("style=dashed")
        if e.label:
            attrs.append(f"label={_q(e.label)}")
        lines.append(f"  {_q(e.dari)} -> {_q(e.ke)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    for members in groups.values():
        lines.append("  { rank=same; " + " ".join(members) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _html(s: str) -> str:
    """Text inside a Graphviz HTML-like label: the characters its XML reading would take as markup escaped."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


#: fill of each level's boxes (light, so that a grey print keeps the text readable)
TREE_FILL = {"tujuan": "#D9E2F3", "sasaran": "#E2EFDA", "program": "#FFF2CC", "kegiatan": "#FBE4D5",
             "sub_kegiatan": "#EDEDED"}


def tree_dot(part: pohon.Part, fit: tuple[float, float] | None = None) -> str:
    """The pohon kinerja (one part) top-down: each box its heading in bold, its name, and its
    indicators in italics; children in written order under their parent."""
    lines = [
        "digraph pohon {",
        _graph(f"rankdir=TB, splines=ortho, ordering=out, nodesep={pohon.NODESEP_IN}, "
               f"ranksep={pohon.RANKSEP_IN}", fit),
        f'  node [shape=box, style="filled", fontname="{FONT}", fontsize={pohon.FONT_PT:g}, '
        f'margin="{pohon.BOX_MARGIN_IN[0]},{pohon.BOX_MARGIN_IN[1]}"];',
        "  edge [dir=none];",
    ]
    # with lists, the lowest level's boxes hang from the top of their rank (Graphviz centres a
    # rank's nodes): each is a table (a list of the children of one parent, or a single box) at the
    # top of a node as tall as the rank's tallest
    lowest = next((b.level for b in part.boxes if b.items), None)
    tallest = max((b.size()[1] for b in part.boxes if b.level == lowest), default=0.0)
    for b in part.boxes:
        if b.level != lowest:
            lines.append(f'  {b.id} [label=<{_box_text(b)}>, fillcolor="{TREE_FILL[b.level]}"];')
            continue
        cells = "".join(f'<TR><TD ALIGN="CENTER" BGCOLOR="{TREE_FILL[b.level]}">{_box_text(item)}</TD></TR>'
                        for item in (b.items or (b,)))
        table = f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5">{cells}</TABLE>'
        lines.append(f'  {b.id} [shape=none, margin=0, style="", labelloc=t, height={tallest:.2f}, label=<{table}>];')
    for b in part.boxes:
        if b.parent is not None:
            lines.append(f"  {b.parent} -> {b.id};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _box_text(b: pohon.Box) -> str:
    """A box's heading in bold, its name, and its indicators in italics (HTML-like label text)."""
    name = "<BR/>".join(_html(s) for s in pohon.wrap(b.nama))
    inds = "".join("<BR/><I>" + "<BR/>".join(_html(s) for s in pohon.wrap(f"IK: {i}")) + "</I>" for i in b.indikator)
    return f"<B>{_html(b.header)}</B><BR/>{name}{inds}"


def figure_dot(fig: m.Node, org: m.Organisasi | None, fit: tuple[float, float] | None = None) -> str:
    """The DOT source of a figure; `fit` (inches) scales a larger drawing down to the size it is
    printed at, so that the PNG has print resolution there instead of being shrunk by Word."""
    if isinstance(fig, m.OrgChartFigure):
        if org is None:
            raise ValueError("bagan organisasi membutuhkan organisasi.yaml")
        return org_chart_dot(org, fit)
    if isinstance(fig, m.FlowFigure):
        return flow_dot(fig, fit)
    raise TypeError(type(fig).__name__)


class Drawings:
    """Graphviz runs for a set of DOT sources, all started at once and collected by `png(key)`,
    so that drawing overlaps the rest of the build.

    A PNG is cached under the hash of its DOT source and of the `dot` program (as Sphinx's graphviz
    extension does): an unchanged figure is not drawn again. Use as a context manager; leaving it
    stops what still runs."""

    def __init__(self, sources: dict[str, str], timeout: float = 60, cache: Path | None = None):
        self.timeout = timeout
        self.cache = cache
        self.exe = shutil.which("dot")
        self._program = ""  # what identifies the dot program in a cache key
        if self.exe:
            st = os.stat(self.exe)
            self._program = f"\0{self.exe}\0{st.st_size}\0{st.st_mtime_ns}"
        self._tmp = Path(tempfile.mkdtemp(prefix="renstra-dot-"))
        self._pngs: dict[str, bytes] = {}
        self._runs: dict[str, tuple[subprocess.Popen, str, float]] = {}
        try:
            for n, (key, source) in enumerate(sources.items()):
                digest = self._digest(source)
                cached = self._read_cache(digest)
                if cached is not None:
                    self._pngs[key] = cached
                elif self.exe is not None:
                    self._runs[key] = (self._start(n, source), digest, time.monotonic())
        except BaseException:
            self.close()
            raise

    def _digest(self, source: str) -> str:
        return hashlib.sha256((source + self._program).encode("utf-8")).hexdigest()

    def _read_cache(self, digest: str) -> bytes | None:
        if self.cache is None:
            return None
        try:
            data = (self.cache / f"{digest}.png").read_bytes()
        except OSError:
            return None
        return data if data.startswith(PNG_SIGNATURE) else None

    def _write_cache(self, digest: str, data: bytes) -> None:
        if self.cache is None:
            return
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            tmp = self.cache / f".{digest}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.cache / f"{digest}.png")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _start(self, n: int, source: str) -> subprocess.Popen:
        src, out, err = (self._tmp / f"{n}.{ext}" for ext in ("dot", "png", "err"))
        src.write_text(source, encoding="utf-8")
        with open(src, "rb") as stdin, open(err, "wb") as stderr:
            return subprocess.Popen([self.exe, "-Tpng", "-o", str(out)], stdin=stdin, stdout=subprocess.DEVNULL,
                                    stderr=stderr)

    def png(self, key: str) -> bytes:
        """The PNG of one figure, waiting for its Graphviz run if it has not finished."""
        if key in self._pngs:
            return self._pngs[key]
        if self.exe is None:
            raise ConversionError("Graphviz tidak terpasang; pasang dengan: apt-get install graphviz")
        proc, digest, started = self._runs.pop(key)
        out = Path(proc.args[-1])
        try:
            proc.wait(timeout=max(0.0, self.timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired as e:
            proc.kill()
            proc.wait()
            raise ConversionError(f"Graphviz tidak selesai dalam {self.timeout:.0f} detik") from e
        if proc.returncode != 0 or not out.is_file():
            message = out.with_suffix(".err").read_text("utf-8", "replace").strip()[:300]
            raise ConversionError(f"Graphviz gagal: {message}")
        data = out.read_bytes()
        self._write_cache(digest, data)
        self._pngs[key] = data
        return data

    def close(self) -> None:
        for proc, _, _ in self._runs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self._runs.clear()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Drawings:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_png(dot_source: str, timeout: float = 60) -> bytes:
    """Graphviz `dot` turns DOT source into a PNG at print resolution (no cache)."""
    with Drawings({"figure": dot_source}, timeout) as drawings:
        return drawings.png("figure")


def start_drawings(content: Content, parts: dict[str, list[pohon.Part]]) -> Drawings:
    """Every figure's Graphviz run, started now so that it overlaps checking and composing. `parts`: the
    pohon kinerja figures' parts (pohon.figure_parts), one drawing each."""
    sources = {}
    fit = printed_size(content.identity.kertas)
    landscape = printed_size(content.identity.kertas, landscape=True)
    for key, pieces in parts.items():  # a pohon kinerja: one drawing per part
        for part, drawing in zip(pieces, drawing_keys(key, len(pieces))):
            sources[drawing] = tree_dot(part, landscape)
    for key, figure in content.figures.items():
        if isinstance(figure, m.PerformanceTreeFigure):
            continue
        try:
            sources[key] = figure_dot(figure, content.organisasi, fit)
        except ValueError:
            continue  # reported by check; the build stops there
    return Drawings(sources, cache=cache_dir("figures"))
