r"""The document model: narrative blocks and indicator formulas, render-neutral.

The Markdown parser (narrative.py) produces the blocks, check.py validates formulas with the parser
below, compose/diff consume both, and the renderers (render/docx.py, render/math.py) write them out.
Formulas are a small LaTeX subset: \frac{num}{den}, \text{words}, \times, \cdot, \%, %, braces
for grouping, digits, letters and the operators + - = ( ) / , . Anything else is an error with the
offending part, so a typo in content is reported, not printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from renstra_gen.errors import Source

# ---------------------------------------------------------------- narrative blocks

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run]
    kind: str = "body"  # body | runin (unnumbered bold heading) | center
    marker: str | None = None  # list marker printed before the text ("a.", "(1)", "•")
    level: int = 0  # list depth: 0 outside lists, 1 for a top-level list item ...
    source: Source | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    level: int  # 1 = BAB, 2 = x.y, 3 = x.y.z
    text: str
    number: str
    source: Source | None = None


@dataclass
class Place:
    kind: str  # "tabel" | "gambar"
    key: str
    source: Source | None = None


Block = Heading | Para | Place


# ---------------------------------------------------------------- formulas

SYMBOLS = {"times": "\u00d7", "cdot": "\u00b7", "%": "%", "div": "\u00f7", "pm": "\u00b1", ",": "\u2009", " ": " "}
PLAIN = set("0123456789+-=()/,.:;'!?<>[] ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | {"%"}


class FormulaError(ValueError):
    """The formula is not in the supported notation."""


@dataclass
class Frac:
    num: list
    den: list


def parse_formula(src: str) -> list:
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
