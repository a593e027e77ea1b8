"""Figures drawn from data: the organisation chart and flow diagrams, as Graphviz DOT, then PNG."""

from __future__ import annotations

import hashlib
import os
import shutil
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
    import subprocess  # imported where Graphviz runs: a build whose figures are all cached runs none

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


ORG_FONT_PT = 12  # unit boxes
ORG_SUB_FONT_PT = 11  # their sub units
ORG_MARGIN_IN = (0.08, 0.05)  # Graphviz node margin (x, y)
ORG_LINE = 1.25  # Graphviz's line height for Arial, in font sizes (measured: 15 px at 12 pt)
ORG_SLACK = 1.06  # room over the estimate, so that no box of a rank grows past the others


def _box_size(labels: list[str], font_pt: float) -> tuple[float, float]:
    """Width and height (inches) of a box that holds the widest and tallest of `labels`."""
    from renstra_gen.render.metrics import measure
    text = measure(False)
    width = max(text.line(line) for s in labels for line in s.split("\n")) * font_pt / 72
    lines = max(s.count("\n") + 1 for s in labels)
    return ((width + 2 * ORG_MARGIN_IN[0]) * ORG_SLACK,
            (lines * font_pt * ORG_LINE / 72 + 2 * ORG_MARGIN_IN[1]) * ORG_SLACK)


def _bus(parent: str, children: list[str], pid: str, minlen: int = 1) -> list[str]:
    """Lines from `parent` to a row of `children` through a horizontal bus of invisible points: one
    point above each child, the parent's line joining the bus in its middle (at the middle child's
    point, or at a point of its own between the middle two)."""
    points = [f"{pid}{j}" for j in range(len(children))]
    order = list(points)
    if len(children) % 2 == 0:
        centre = f"{pid}c"
        order.insert(len(children) // 2, centre)
    else:
        centre = points[len(children) // 2]
    out = [f"  {p} [shape=point, width=0, height=0, label=\"\"];" for p in order]
    if len(order) > 1:
        out.append("  { rank=same; " + " ".join(order) + " }")
    out += [f"  {a} -> {b};" for a, b in zip(order, order[1:])]
    out += [f"  {p} -> {c} [weight=20];" for p, c in zip(points, children)]
    out.append(f"  {parent} -> {centre} [weight=20" + (f", minlen={minlen}" if minlen != 1 else "") + "];")
    return out


def org_chart_dot(org: m.Organisasi, fit: tuple[float, float] | None = None) -> str:
    """A top-down box chart as in a Perbup's bagan, with orthogonal lines that never cross.

    One rank per level: the head at the top; on the staff line below it the functional group (dashed,
    left) and the secretariat (right) beside the head's vertical line, the secretariat's sub units in
    a row under it; the line units (bidang) in one row on a horizontal bus the head's line ends in,
    each with its sub units in a column; the UPT(D) in a row below the deepest column, reached by a
    line down from the right end of the bidang bus. The boxes of a rank are of one size (the
    largest label's, measured in the printed font); invisible points carry the lines' corners."""
    lines = [
        "digraph organisasi {",
        _graph("rankdir=TB, splines=ortho, nodesep=0.18, ranksep=0.25, newrank=true", fit),
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize={ORG_FONT_PT}, '
        f'margin="{ORG_MARGIN_IN[0]},{ORG_MARGIN_IN[1]}"];',
        "  edge [arrowhead=none];",
    ]
    roles = [(f"u{i}", u, role(u, i)) for i, u in enumerate(org.unit)]
    head = next((nid for nid, _, r in roles if r == "pimpinan"), roles[0][0])
    left = [nid for nid, _, r in roles if r == "fungsional" and nid != head]
    right = [nid for nid, _, r in roles if r == "sekretariat" and nid != head]
    line_units = [nid for nid, _, r in roles if r == "bidang" and nid != head]
    bottom = [nid for nid, _, r in roles if r == "unit-pelaksana" and nid != head]
    units = {nid: u for nid, u, _ in roles}
    label = {nid: _wrap(u.nama.upper(), 18) for nid, u, _ in roles}
    sub_label = {f"{nid}_{j}": _wrap(sub, 20) for nid, u, _ in roles for j, sub in enumerate(u.bawahan)}

    def subs(nid: str) -> list[str]:
        return [f"{nid}_{j}" for j in range(len(units[nid].bawahan))]

    # the boxes of one rank share one size
    groups = [[head], left + right, line_units, bottom]
    sub_groups = [[s for nid in left + right for s in subs(nid)], [s for nid in line_units for s in subs(nid)],
                  [s for nid in bottom for s in subs(nid)]]
    size: dict[str, tuple[float, float]] = {}
    for group in groups:
        if group:
            size.update(dict.fromkeys(group, _box_size([label[n] for n in group], ORG_FONT_PT)))
    for group in sub_groups:
        if group:
            size.update(dict.fromkeys(group, _box_size([sub_label[n] for n in group], ORG_SUB_FONT_PT)))
    for nid, u, r in roles:
        style = ', style="bold"' if r == "pimpinan" else (', style="dashed"' if r == "fungsional" else "")
        w, h = size.get(nid, (0, 0))
        lines.append(f"  {nid} [label={_q(label[nid])}, width={w:.2f}, height={h:.2f}{style}];")
        for s in subs(nid):
            w, h = size[s]
            lines.append(f"  {s} [label={_q(sub_label[s])}, fontsize={ORG_SUB_FONT_PT}, "
                         f"width={w:.2f}, height={h:.2f}];")

    # the head's vertical line (the trunk): a point on each staff rank, the staff units beside it
    trunk = head
    if left or right:
        lines.append('  t0 [shape=point, width=0, height=0, label=""];')
        lines.append(f"  {head} -> t0 [weight=20];")
        row = left + ["t0"] + right
        lines.append("  { rank=same; " + " ".join(row) + " }")
        lines += [f"  {a} -> {b}" + (" [style=dashed]" if a in left else "") + ";" for a, b in zip(row, row[1:])]
        trunk = "t0"
        staff_subs = [nid for nid in left + right if units[nid].bawahan]
        for nid in staff_subs:
            lines += _bus(nid, subs(nid), f"{nid}_b")
        if staff_subs:  # the trunk passes the row of the secretariat's sub units
            lines.append('  t1 [shape=point, width=0, height=0, label=""];')
            lines.append('  t2 [shape=point, width=0, height=0, label=""];')
            lines += ["  t0 -> t1 [weight=20];", "  t1 -> t2 [weight=20];"]
            first = staff_subs[0]
            lines.append(f"  {{ rank=same; t1 {first}_b{'c' if len(subs(first)) % 2 == 0 else len(subs(first)) // 2} }}")
            lines.append(f"  {{ rank=same; t2 {subs(first)[0]} }}")
            trunk = "t2"
    depth = 0
    if line_units:
        # the bidang bus, with one more point at its right end where the line to the UPT(D) leaves
        lines += _bus(trunk, line_units, "b")
        lines.append("  { rank=same; " + " ".join(line_units) + " }")
        for nid in line_units:  # sub units hang below their bidang in a column, which keeps the chart narrow
            chain = [nid] + subs(nid)
            lines += [f"  {a} -> {b} [weight=20];" for a, b in zip(chain, chain[1:])]
            depth = max(depth, len(chain) - 1)
        if bottom:
            lines.append('  bx [shape=point, width=0, height=0, label=""];')
            lines.append(f"  {{ rank=same; b{len(line_units) - 1} bx }}")
            lines.append(f"  b{len(line_units) - 1} -> bx;")
            trunk = "bx"
    if bottom:
        # below the deepest column: bus rank (depth + 2 below the bidang bus), then the row
        lines += _bus(trunk, bottom, "x", minlen=depth + 2 if line_units else 1)
        lines.append("  { rank=same; " + " ".join(bottom) + " }")
        for nid in bottom:
            chain = [nid] + subs(nid)
            lines += [f"  {a} -> {b} [weight=20];" for a, b in zip(chain, chain[1:])]
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
        import subprocess

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
        import subprocess

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
