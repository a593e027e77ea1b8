"""Indicator formulas as Word equations (OMML) and their printed width; parsed, and written as plain text, by renstra_gen/narrative/document.py."""

from __future__ import annotations

from renstra_gen.narrative.document import Delim, Frac, Nary, Radical, Script, parse_formula as parse
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
        elif isinstance(n, (Script, Radical, Nary, Delim)):
            out.append(_structure(n, size))
        elif n:
            out.append(_run(n, size))
    return "".join(out)


def _structure(n, size: float | None) -> str:
    """Scripts, radicals, big operators and delimiters in OMML (element order as ECMA-376 requires)."""
    def e(nodes):
        return _omml(nodes or [], size)

    if isinstance(n, Script):
        if n.sub is not None and n.sup is not None:
            return f"<m:sSubSup><m:e>{e(n.base)}</m:e><m:sub>{e(n.sub)}</m:sub><m:sup>{e(n.sup)}</m:sup></m:sSubSup>"
        if n.sub is not None:
            return f"<m:sSub><m:e>{e(n.base)}</m:e><m:sub>{e(n.sub)}</m:sub></m:sSub>"
        return f"<m:sSup><m:e>{e(n.base)}</m:e><m:sup>{e(n.sup)}</m:sup></m:sSup>"
    if isinstance(n, Radical):
        pr = "" if n.degree else '<m:radPr><m:degHide m:val="1"/></m:radPr>'
        return f"<m:rad>{pr}<m:deg>{e(n.degree)}</m:deg><m:e>{e(n.body)}</m:e></m:rad>"
    if isinstance(n, Nary):
        hide = ('<m:subHide m:val="1"/>' if n.sub is None else "") + ('<m:supHide m:val="1"/>' if n.sup is None else "")
        return (f'<m:nary><m:naryPr><m:chr m:val="{n.char}"/><m:limLoc m:val="undOvr"/>{hide}</m:naryPr>'
                f"<m:sub>{e(n.sub)}</m:sub><m:sup>{e(n.sup)}</m:sup><m:e>{e(n.body)}</m:e></m:nary>")
    return (f'<m:d><m:dPr><m:begChr m:val="{text(n.open)}"/><m:endChr m:val="{text(n.close)}"/></m:dPr>'
            f"<m:e>{e(n.body)}</m:e></m:d>")



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

    def one(n) -> float:
        if isinstance(n, Frac):
            return max(part(n.num), part(n.den))
        if isinstance(n, Script):  # scripts are set smaller, beside the base
            return seq(n.base) + 0.7 * max(seq(n.sub or []), seq(n.sup or []))
        if isinstance(n, Radical):
            return seq(n.body) + line_width("\u221a") + 0.7 * seq(n.degree or [])
        if isinstance(n, Nary):  # limits under and over the operator
            return max(line_width(n.char), 0.7 * max(seq(n.sub or []), seq(n.sup or []))) + seq(n.body)
        if isinstance(n, Delim):
            return seq(n.body) + line_width(n.open + n.close)
        return line_width(n)

    def seq(nodes: list) -> float:
        return sum(one(n) for n in nodes)

    return seq(parse(latex))
