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
# The indicator-formula notation, a LaTeX subset: \frac{num}{den}, \text{words}, \times, \cdot, \%, %,
# braces for grouping, digits, letters and the operators + - = ( ) / , . ; sub- and superscripts x_i,
# x^2, x_{i}^{2}; \sum and \prod with limits (\sum_{i=1}^{n} applies to the rest of its group);
# \sqrt{x} and \sqrt[n]{x}; \left( ... \right) (also [ ] | and \{ \}); Greek letters (\alpha ...
# \Omega) and \le \ge \neq \approx \infty. Anything else is an error with the offending part.

SYMBOLS = {"times": "\u00d7", "cdot": "\u00b7", "%": "%", "div": "\u00f7", "pm": "\u00b1", ",": "\u2009", " ": " ",
           "le": "\u2264", "leq": "\u2264", "ge": "\u2265", "geq": "\u2265", "neq": "\u2260",
           "approx": "\u2248", "infty": "\u221e"}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
          "sigma tau upsilon phi chi psi omega").split()
SYMBOLS.update({name: chr(0x3B1 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)})  # no final sigma
SYMBOLS.update({name.capitalize(): chr(0x391 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)})
NARY = {"sum": "\u2211", "prod": "\u220f"}
DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", "\\{": "{", "\\}": "}", ".": ""}
KNOWN = "\\frac, \\text, \\sqrt, \\sum, \\prod, \\left, \\right, \\times, \\cdot, \\%, huruf Yunani"
PLAIN = set("0123456789+-=()/,.:;'!?<>[] ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | {"%"}


class FormulaError(ValueError):
    """The formula is not in the supported notation."""


@dataclass
class Frac:
    num: list
    den: list


@dataclass
class Script:
    """base with a subscript and/or a superscript (either may be None)."""

    base: list
    sub: list | None
    sup: list | None


@dataclass
class Radical:
    body: list
    degree: list | None


@dataclass
class Nary:
    """A big operator (sum, product) with limits, applied to `body`."""

    char: str
    sub: list | None
    sup: list | None
    body: list


@dataclass
class Delim:
    open: str
    close: str
    body: list


def parse_formula(src: str) -> list:
    """Parse into a list of str runs and Frac, Script, Radical, Nary and Delim nodes."""
    nodes, pos = _seq(src, 0, top=True)
    if pos != len(src):
        raise FormulaError(f"kurung kurawal '}}' berlebih pada posisi {pos + 1}")
    return _merged(nodes)


def _merged(nodes: list | None) -> list | None:
    """Adjacent text runs joined again (\\text is parsed as a run of its own for scripts), inside every node."""
    if nodes is None:
        return None
    out: list = []
    for n in nodes:
        if isinstance(n, str) and out and isinstance(out[-1], str):
            out[-1] += n
            continue
        for f in ("num", "den", "base", "sub", "sup", "body", "degree"):
            if hasattr(n, f):
                setattr(n, f, _merged(getattr(n, f)))
        out.append(n)
    return out


def _seq(src: str, pos: int, top: bool, until_right: bool = False) -> tuple[list, int]:
    out: list = []
    buf = ""

    def flush():
        nonlocal buf
        if buf:
            out.append(buf)
            buf = ""

    while pos < len(src):
        ch = src[pos]
        if ch in "_^":
            # the script binds to the last character (or the last node) before it
            if buf:
                base, buf = [buf[-1]], buf[:-1]
            elif out:
                base = [out.pop()]
            else:
                raise FormulaError(f"'{ch}' tanpa dasar pada posisi {pos + 1}")
            flush()
            sub, sup, pos = _scripts(src, pos)
            out.append(Script(base, sub, sup))
            continue
        if until_right and src.startswith("\\right", pos) and not src[pos + 6:pos + 7].isalpha():
            flush()
            return out, pos
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
                flush()  # a run of its own, so that a script after it binds to the whole text
                out.append(re.sub(r"\\([&%_{}#$])", r"\1", body))
            elif name in SYMBOLS:
                buf += SYMBOLS[name]
            elif name == "sqrt":
                flush()
                degree = None
                pos = _skip(src, pos)
                if src.startswith("[", pos):
                    end = src.find("]", pos)
                    if end < 0:
                        raise FormulaError("\\sqrt[ tanpa ']'")
                    degree, _ = _seq(src[pos + 1:end] + "}", 0, top=False)
                    pos = end + 1
                body, pos = _group(src, _skip(src, pos), "\\sqrt")
                out.append(Radical(body, degree))
            elif name in NARY:
                flush()
                sub, sup, pos = _scripts(src, _skip(src, pos)) if src[_skip(src, pos):][:1] in ("_", "^") else (None, None, pos)
                body, pos = _seq(src, pos, top, until_right)
                out.append(Nary(NARY[name], sub, sup, body))
                return out, pos
            elif name == "left":
                flush()
                opening, pos = _delimiter(src, _skip(src, pos), "\\left")
                body, pos = _seq(src, pos, top=False, until_right=True)
                if not src.startswith("\\right", pos):
                    raise FormulaError("\\left tanpa \\right")
                closing, pos = _delimiter(src, _skip(src, pos + 6), "\\right")
                out.append(Delim(opening, closing, body))
            elif name == "right":
                raise FormulaError("\\right tanpa \\left")
            else:
                raise FormulaError(f"perintah tidak dikenal '\\{name}' (yang dikenal: {KNOWN})")
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
    if until_right:
        raise FormulaError("\\left tanpa \\right")
    if not top:
        raise FormulaError("kurung kurawal '{' tidak ditutup")
    flush()
    return out, pos


def _scripts(src: str, pos: int) -> tuple[list | None, list | None, int]:
    """One or both of _x and ^y (in either order) starting at pos."""
    sub = sup = None
    while pos < len(src) and src[pos] in "_^":
        which = src[pos]
        if (sub if which == "_" else sup) is not None:
            raise FormulaError(f"'{which}' ganda pada posisi {pos + 1}")
        arg, pos = _argument(src, _skip(src, pos + 1))
        if which == "_":
            sub = arg
        else:
            sup = arg
        if src[_skip(src, pos):][:1] in ("_", "^"):  # the other script may follow after a space
            pos = _skip(src, pos)
    return sub, sup, pos


def _argument(src: str, pos: int) -> tuple[list, int]:
    """A script's argument: {group}, one command (\\alpha) or one character."""
    if pos >= len(src):
        raise FormulaError("pangkat/indeks tanpa isi di akhir rumus")
    if src[pos] == "{":
        return _group(src, pos)
    if src[pos] == "\\":
        name, end = _command(src, pos)
        if name in SYMBOLS:
            return [SYMBOLS[name]], end
        raise FormulaError(f"perintah '\\{name}' tidak dapat menjadi pangkat/indeks tanpa {{...}}")
    if src[pos] in PLAIN or src[pos].isalpha():
        return [src[pos]], pos + 1
    raise FormulaError(f"karakter '{src[pos]}' tidak didukung dalam rumus")


def _delimiter(src: str, pos: int, owner: str) -> tuple[str, int]:
    for token, char in DELIMS.items():
        if src.startswith(token, pos):
            return char, pos + len(token)
    raise FormulaError(f"{owner} membutuhkan pembatas ( [ | \\{{ atau .")


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


def plain_formula(latex: str) -> str:
    """The formula as one line of text (for Excel and plain-text outputs)."""
    def one(n) -> str:
        if isinstance(n, Frac):
            return f"({flat(n.num)}) / ({flat(n.den)})"
        if isinstance(n, Script):
            return flat(n.base) + (f"_{_brace(n.sub)}" if n.sub is not None else "") \
                + (f"^{_brace(n.sup)}" if n.sup is not None else "")
        if isinstance(n, Radical):
            return (f"{_brace(n.degree)}" if n.degree else "") + f"\u221a({flat(n.body)})"
        if isinstance(n, Nary):
            limits = (f"_{_brace(n.sub)}" if n.sub is not None else "") + (f"^{_brace(n.sup)}" if n.sup is not None else "")
            return f"{n.char}{limits}{flat(n.body)}"
        if isinstance(n, Delim):
            return f"{n.open}{flat(n.body)}{n.close}"
        return n

    def flat(nodes):
        return "".join(one(n) for n in nodes or [])

    def _brace(nodes):
        s = flat(nodes)
        return s if len(s) == 1 else "{" + s + "}"
    return flat(parse_formula(latex))
