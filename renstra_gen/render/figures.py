"""Figures drawn from data: the organisation chart and flow diagrams, as Graphviz DOT, then PNG."""

from __future__ import annotations

import shutil
import subprocess

from renstra_gen import model as m
from renstra_gen.errors import ConversionError

DPI = 200
FONT = "Arial"


def _q(s: str) -> str:
    """A DOT double-quoted string (escaped; line breaks kept)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(s: str, width: int = 22) -> str:
    words, lines, cur = s.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def role(unit: m.OrgUnit, index: int) -> str:
    if unit.posisi:
        return unit.posisi
    name = unit.nama.lower()
    if index == 0:
        return "pimpinan"
    if name.startswith("sekretari"):
        return "sekretariat"
    if unit.bawahan:
        return "bidang"
    if "fungsional" in name:
        return "fungsional"
    return "unit-pelaksana"


def org_chart_dot(org: m.Organisasi) -> str:
    """A top-down box chart: head, staff (secretariat) to the side, line units below, UPT at the bottom."""
    lines = [
        "digraph organisasi {",
        f'  graph [rankdir=TB, splines=ortho, nodesep=0.18, ranksep=0.3, dpi={DPI}, fontname="{FONT}"];',
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
    line_units = [nid for nid, _, r in roles if r == "bidang"]
    bottom = [nid for nid, _, r in roles if r == "unit-pelaksana"]
    for nid, _, r in roles:
        if nid == head:
            continue
        style = " [style=dashed]" if r == "fungsional" else ""
        minlen = " [minlen=3]" if r == "unit-pelaksana" else ""
        lines.append(f"  {head} -> {nid}{style or minlen};")
    for nid, u, _ in roles:
        # sub-units hang below their unit in a column, which keeps the chart narrow
        chain = [nid] + [f"{nid}_{j}" for j in range(len(u.bawahan))]
        lines += [f"  {a} -> {b};" for a, b in zip(chain, chain[1:])]
    if side:
        lines.append("  { rank=same; " + " ".join(side) + " }")
    if line_units:
        lines.append("  { rank=same; " + " ".join(line_units) + " }")
    if bottom:
        lines.append("  { rank=sink; " + " ".join(bottom) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def flow_dot(fig: m.FlowFigure) -> str:
    rankdir = "TB" if fig.arah == "atas-bawah" else "LR"
    lines = [
        "digraph alur {",
        f'  graph [rankdir={rankdir}, nodesep=0.4, ranksep=0.45, dpi={DPI}, fontname="{FONT}"];',
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


def figure_dot(fig: m.Node, org: m.Organisasi | None) -> str:
    if isinstance(fig, m.OrgChartFigure):
        if org is None:
            raise ValueError("bagan organisasi membutuhkan organisasi.yaml")
        return org_chart_dot(org)
    if isinstance(fig, m.FlowFigure):
        return flow_dot(fig)
    raise TypeError(type(fig).__name__)


def render_png(dot_source: str, timeout: float = 60) -> bytes:
    """Graphviz `dot` turns DOT source into a PNG at print resolution."""
    exe = shutil.which("dot")
    if exe is None:
        raise ConversionError("Graphviz tidak terpasang; pasang dengan: apt-get install graphviz")
    try:
        done = subprocess.run([exe, "-Tpng"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise ConversionError(f"Graphviz tidak selesai dalam {timeout:.0f} detik") from e
    if done.returncode != 0:
        raise ConversionError(f"Graphviz gagal: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout
