"""A markdown-it-py list rule for pandoc's fancy_lists: `a.`, `A.`, `i.`, `(1)`, `(a)`, `1)` markers.

markdown-it-py parses only CommonMark lists (`1.`, `1)`, bullets). Indonesian official documents
also number with letters and parenthesised numbers, so this rule replaces the built-in "list" rule.
It follows markdown-it's own list algorithm (markdown_it/rules_block/list.py) and changes only how
markers are read and when a list continues:

- an ordered list records its style on the list token: ``meta = {"style": "decimal" |
  "lower-alpha" | "upper-alpha" | "lower-roman" | "upper-roman", "delim": "period" | "paren" |
  "parens", "start": int}``, and every item's number in ``list_item_open.meta["number"]``;
- a list ends where the marker style or delimiter changes (as pandoc does);
- as in CommonMark, an ordered list may interrupt a paragraph only when it starts at 1 (a, A, i, I),
  so sentences that happen to start with "A. " are left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it is imported where a text is parsed (narrative/markdown.py: _markdown)
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.state_block import StateBlock

_MARKER = re.compile(
    r"(?:\((?P<pv>\d{1,9}|[a-zA-Z]|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})\)"
    r"|(?P<v>\d{1,9}|[a-zA-Z]|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?P<d>[.)])"
    r"|(?P<b>[-+*]))(?=[ \t]|$)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_to_int(s: str) -> int | None:
    s = s.lower()
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    out = ""
    for v, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                   (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out += sym
            n -= v
    return out


def int_to_alpha(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def format_marker(number: int, style: str, delim: str) -> str:
    """The printed marker of item `number`: (3, 'lower-alpha', 'period') -> 'c.'."""
    if style == "bullet":
        return "\u2022"
    text = {
        "decimal": str(number),
        "lower-alpha": int_to_alpha(number),
        "upper-alpha": int_to_alpha(number).upper(),
        "lower-roman": int_to_roman(number),
        "upper-roman": int_to_roman(number).upper(),
    }[style]
    return {"period": f"{text}.", "paren": f"{text})", "parens": f"({text})"}[delim]


def _interpret(value: str, prefer: str | None) -> tuple[str, int] | None:
    """(style, number) of a marker value; `prefer` is the style of the list being continued."""
    if value.isdigit():
        return "decimal", int(value)
    lower = value.islower()
    roman = roman_to_int(value)
    if len(value) == 1:
        alpha = ("lower-alpha" if lower else "upper-alpha", ord(value.lower()) - ord("a") + 1)
        if prefer and prefer.endswith("roman") and roman is not None:
            return ("lower-roman" if lower else "upper-roman", roman)
        if prefer is None and value.lower() == "i":
            return ("lower-roman" if lower else "upper-roman", 1)
        return alpha
    if roman is not None:
        return ("lower-roman" if lower else "upper-roman", roman)
    return None


def read_marker(state: StateBlock, line: int, prefer: str | None = None):
    """(position after the marker, style, delim, number) of a list marker on `line`, or None."""
    start = state.bMarks[line] + state.tShift[line]
    m = _MARKER.match(state.src, start, state.eMarks[line])
    if not m:
        return None
    if m.group("b"):
        return m.end(), "bullet", m.group("b"), 0
    value = m.group("pv") or m.group("v")
    delim = "parens" if m.group("pv") else ("period" if m.group("d") == "." else "paren")
    got = _interpret(value, prefer)
    if got is None:
        return None
    style, number = got
    return m.end(), style, delim, number


def fancy_list(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    isTerminatingParagraph = False
    tight = True

    if state.is_code_block(startLine):
        return False
    if (state.listIndent >= 0 and state.sCount[startLine] - state.listIndent >= 4
            and state.sCount[startLine] < state.blkIndent):
        return False
    if silent and state.parentType == "paragraph" and state.sCount[startLine] >= state.blkIndent:
        isTerminatingParagraph = True

    marker = read_marker(state, startLine)
    if marker is None:
        return False
    posAfterMarker, style, delim, number = marker
    isOrdered = style != "bullet"
    if isTerminatingParagraph and isOrdered and number != 1:
        return False
    if isTerminatingParagraph and state.skipSpaces(posAfterMarker) >= state.eMarks[startLine]:
        return False
    if silent:
        return True

    listTokIdx = len(state.tokens)
    if isOrdered:
        token = state.push("ordered_list_open", "ol", 1)
        token.meta = {"style": style, "delim": delim, "start": number}
        if number != 1:
            token.attrs = {"start": number}
    else:
        token = state.push("bullet_list_open", "ul", 1)
        token.meta = {"style": "bullet", "delim": delim, "start": 1}
    token.map = listLines = [startLine, 0]
    token.markup = delim

    nextLine = startLine
    prevEmptyEnd = False
    terminatorRules = state.md.block.ruler.getRules("list")
    oldParentType = state.parentType
    state.parentType = "list"

    while nextLine < endLine:
        pos = posAfterMarker
        maximum = state.eMarks[nextLine]
        initial = offset = state.sCount[nextLine] + posAfterMarker - (state.bMarks[startLine] + state.tShift[startLine])
        while pos < maximum:
            ch = state.src[pos]
            if ch == "\t":
                offset += 4 - (offset + state.bsCount[nextLine]) % 4
            elif ch == " ":
                offset += 1
            else:
                break
            pos += 1
        contentStart = pos
        indentAfterMarker = 1 if contentStart >= maximum else offset - initial
        if indentAfterMarker > 4:
            indentAfterMarker = 1
        indent = initial + indentAfterMarker

        token = state.push("list_item_open", "li", 1)
        token.markup = delim
        token.map = itemLines = [startLine, 0]
        token.meta = {"number": number, "style": style, "delim": delim}
        token.info = str(number)

        oldTight = state.tight
        oldTShift = state.tShift[startLine]
        oldSCount = state.sCount[startLine]
        oldListIndent = state.listIndent
        state.listIndent = state.blkIndent
        state.blkIndent = indent
        state.tight = True
        state.tShift[startLine] = contentStart - state.bMarks[startLine]
        state.sCount[startLine] = offset

        if contentStart >= maximum and state.isEmpty(startLine + 1):
            state.line = min(state.line + 2, endLine)
        else:
            state.md.block.tokenize(state, startLine, endLine)

        if (not state.tight) or prevEmptyEnd:
            tight = False
        prevEmptyEnd = (state.line - startLine) > 1 and state.isEmpty(state.line - 1)

        state.blkIndent = state.listIndent
        state.listIndent = oldListIndent
        state.tShift[startLine] = oldTShift
        state.sCount[startLine] = oldSCount
        state.tight = oldTight

        token = state.push("list_item_close", "li", -1)
        token.markup = delim

        nextLine = startLine = state.line
        itemLines[1] = nextLine
        if nextLine >= endLine:
            break
        if state.sCount[nextLine] < state.blkIndent:
            break
        if state.is_code_block(startLine):
            break
        if any(rule(state, nextLine, endLine, True) for rule in terminatorRules):
            break

        nxt = read_marker(state, nextLine, prefer=style)
        if nxt is None:
            break
        posAfterMarker, nstyle, ndelim, number = nxt
        if nstyle != style or ndelim != delim:
            break

    token = state.push("ordered_list_close" if isOrdered else "bullet_list_close", "ol" if isOrdered else "ul", -1)
    token.markup = delim
    listLines[1] = nextLine
    state.line = nextLine
    state.parentType = oldParentType
    if tight:
        from markdown_it.rules_block.list import markTightParagraphs

        markTightParagraphs(state, listTokIdx)
    return True


def fancy_lists_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's list rule with the fancy one."""
    md.block.ruler.at("list", fancy_list, {"alt": ["paragraph", "reference", "blockquote"]})
