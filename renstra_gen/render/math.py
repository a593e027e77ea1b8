r"""Indicator formulas: a small LaTeX subset parsed and written as Word equations (OMML).

Supported: \frac{num}{den}, \text{words}, \times, \cdot, \%, %, braces for grouping, digits,
letters and the operators + - = ( ) / , . Anything else is an error with the offending part,
so a typo in content is reported, not printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from renstra_gen.render.oxml import text

SYMBOLS = {"times": "\u00d7", "cdot": "\u00b7", "%": "%", "div": "\u00f7", "pm": "\u00b1", ",": "\u2009", " ": " "}
PLAIN = set("0123456789+-=()/,.:;'!?<>[] ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | {"%"}


class FormulaError(ValueError):
    """The formula is not in the supported notation."""


@dataclass
class Frac:
    num: list
    den: list


def parse(src: str) -> list:
    """Parse into a list of str runs and Frac nodes."""
    nodes, pos = _seq(src, 0, top=True)
    if pos != len(src):
        raise FormulaError(f"kurung kurawal '}}' berlebih pada posisi {pos + 1}")
    return nodes


def _seq(src: str, pos: int, top: bool) -> tuple[list, int]:
    out: list = []
    buf = ""

    def flush():
        nonlocal buf
        if buf:
            out.append(buf)
            buf = ""

    while pos < len(src):
        ch = src[pos]
        if ch == "}":
            if top:
                raise FormulaError(f"kurung kurawal '}}' berlebih pada posisi {pos + 1}")
            flush()
            return out, pos
        if ch == "{":
            flush()
            inner, pos = _group(src, pos)
            out.extend(inner)
            continue
        if ch == "\\":
            name, pos = _command(src, pos)
            if name == "frac":
                flush()
                num, pos = _group(src, _skip(src, pos), "\\frac")
                den, pos = _group(src, _skip(src, pos), "\\frac")
                out.append(Frac(num, den))
            elif name == "text":
                body, pos = _raw_group(src, _skip(src, pos))
                buf += re.sub(r"\\([&%_{}#$])", r"\1", body)
            elif name in SYMBOLS:
                buf += SYMBOLS[name]
            else:
                raise FormulaError(f"perintah tidak dikenal '\\{name}' (yang dikenal: \\frac, \\text, \\times, \\cdot, \\%)")
            continue
        if ch in PLAIN:
            buf += ch
            pos += 1
            continue
        if ch.isalpha():
            buf += ch
            pos += 1
            continue
        raise FormulaError(f"karakter '{ch}' tidak didukung dalam rumus")
    if not top:
        raise FormulaError("kurung kurawal '{' tidak ditutup")
    flush()
    return out, pos


def _skip(src: str, pos: int) -> int:
    while pos < len(src) and src[pos] == " ":
        pos += 1
    return pos


def _command(src: str, pos: int) -> tuple[str, int]:
    pos += 1
    if pos < len(src) and not src[pos].isalpha():
        return src[pos], pos + 1
    start = pos
    while pos < len(src) and src[pos].isalpha():
        pos += 1
    if start == pos:
        raise FormulaError("garis miring terbalik '\\' tanpa perintah")
    return src[start:pos], pos


def _group(src: str, pos: int, owner: str = "") -> tuple[list, int]:
    if pos >= len(src) or src[pos] != "{":
        raise FormulaError(f"{owner or 'kelompok'} membutuhkan {{...}}")
    inner, pos = _seq(src, pos + 1, top=False)
    return inner, pos + 1


def _raw_group(src: str, pos: int) -> tuple[str, int]:
    if pos >= len(src) or src[pos] != "{":
        raise FormulaError("\\text membutuhkan {...}")
    depth, start = 0, pos + 1
    while pos < len(src):
        if src[pos] == "{":
            depth += 1
        elif src[pos] == "}":
            depth -= 1
            if depth == 0:
                return src[start:pos], pos + 1
        pos += 1
    raise FormulaError("kurung kurawal '{' tidak ditutup")


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


def _run(s: str, size: float | None) -> str:
    sz = f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>' if size else ""
    # m:nor (normal text: upright, in the w:rPr font); CT_RPR in shared-math.xsd allows m:nor or
    # m:sty, never both
    return ('<m:r><m:rPr><m:nor/></m:rPr>'
            f'<w:rPr><w:rFonts w:ascii="Cambria Math" w:hAnsi="Cambria Math"/>{sz}</w:rPr>'
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


def plain(latex: str) -> str:
    """The formula as one line of text (for Excel and plain-text outputs)."""
    def flat(nodes):
        return "".join(f"({flat(n.num)}) / ({flat(n.den)})" if isinstance(n, Frac) else n for n in nodes)
    return flat(parse(latex))
