"""Indicator formulas written as Word equations (OMML) and as plain text; parsed by renstra_gen/document.py."""

from __future__ import annotations

from renstra_gen.document import Frac, parse_formula as parse
from renstra_gen.render.oxml import text

WRAP = 24  # characters per line inside a numerator or denominator


def _wrap(s: str, width: int = WRAP) -> list[str]:
    lines, cur = [], ""
    for word in s.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return lines + [cur] if cur else lines


FONT = "Arial"  # the table text's family (the template's); with m:nor Word sets the run in it


def _run(s: str, size: float | None) -> str:
    half = int(round(size * 2)) if size else 0
    sz = f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>' if size else ""
    # m:nor (normal text: upright, in the w:rPr font); CT_RPR in shared-math.xsd allows m:nor or
    # m:sty, never both
    return ('<m:r><m:rPr><m:nor/></m:rPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>{sz}</w:rPr>'
            f'<m:t xml:space="preserve">{text(s)}</m:t></m:r>')


def _part(nodes: list, size: float | None) -> str:
    """A numerator or denominator: long plain text is wrapped into stacked lines (m:eqArr)."""
    if len(nodes) == 1 and isinstance(nodes[0], str) and len(nodes[0]) > WRAP:
        rows = "".join(f"<m:e>{_run(line, size)}</m:e>" for line in _wrap(nodes[0]))
        return f"<m:eqArr>{rows}</m:eqArr>"
    return _omml(nodes, size)


def _omml(nodes: list, size: float | None) -> str:
    out = []
    for n in nodes:
        if isinstance(n, Frac):
            out.append(f"<m:f><m:num>{_part(n.num, size)}</m:num><m:den>{_part(n.den, size)}</m:den></m:f>")
        elif n:
            out.append(_run(n, size))
    return "".join(out)


def omml(latex: str, size: float | None = 9) -> str:
    """An inline equation (m:oMath) for a paragraph's content."""
    return f"<m:oMath>{_omml(parse(latex), size)}</m:oMath>"


def width(latex: str, line_width) -> float:
    """The printed width of a formula as laid out by `omml`: runs side by side, a fraction as wide
    as its wider part, a wrapped part as wide as its widest line. `line_width(text)` measures one
    line of text; the result is in its unit."""
    def part(nodes: list) -> float:
        if len(nodes) == 1 and isinstance(nodes[0], str) and len(nodes[0]) > WRAP:
            return max(line_width(line) for line in _wrap(nodes[0]))
        return seq(nodes)

    def seq(nodes: list) -> float:
        return sum(max(part(n.num), part(n.den)) if isinstance(n, Frac) else line_width(n) for n in nodes)

    return seq(parse(latex))


def plain(latex: str) -> str:
    """The formula as one line of text (for Excel and plain-text outputs)."""
    def flat(nodes):
        return "".join(f"({flat(n.num)}) / ({flat(n.den)})" if isinstance(n, Frac) else n for n in nodes)
    return flat(parse(latex))
