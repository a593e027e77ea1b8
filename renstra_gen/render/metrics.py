"""Text widths in the font the document prints with: Liberation Sans (metric-compatible with Arial).

Advance widths are read from the installed font files with fontTools and kept in the build cache
(a build then reads a small JSON file instead of parsing two fonts). Without the fonts (or without
fontTools) a built-in table of the same font's ASCII widths is used and `missing_font()` says so.

Widths are in points for a given font size; breaks follow the rules LibreOffice and Word use in
table cells: a line may break at a space, after "/" and after a "-" that is followed by a letter;
never inside a word or a number. LibreOffice breaks after "/" only in a paragraph's first word
(measured with LibreOffice 7: "Pendorong/" | "Penghambat", but "Faktor Pendorong/Penghamb" | "at"
when the compound does not fit on a line), so the document writes a zero-width space after a "/"
between letters (`keep_together`) and the break is there wherever the fit counts on it. A no-break
space (U+00A0) and a no-break hyphen (U+2011, printed as "-") join what they stand between:
`keep_together` writes the latter into a short acronym ("PUG-PP"), the document the former into
names, degrees and NIPs.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

FAMILY = "Liberation Sans"
FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/liberation-sans", "/usr/share/fonts/liberation", "/usr/local/share/fonts",
             "/Library/Fonts", "C:/Windows/Fonts")
INSTALL_HINT = "apt-get install fonts-liberation2"

# Liberation Sans advance widths of U+0020..U+007E in units of 2048 per em (regular, bold): the
# fallback when the font files cannot be read. Other characters fall back to the width of "W"'s
# neighbour "M" (wide, so that a guess errs towards room).
UNITS = 2048
_BUILTIN = {
    False: "569 569 727 1139 1139 1821 1366 391 682 682 797 1196 569 682 569 569 1139 1139 1139 1139 1139 "
           "1139 1139 1139 1139 1139 569 569 1196 1196 1196 1139 2079 1366 1366 1479 1479 1366 1251 1593 "
           "1479 569 1024 1366 1139 1706 1479 1593 1366 1593 1479 1366 1251 1479 1366 1933 1366 1366 1251 "
           "569 569 569 961 1139 682 1139 1139 1024 1139 1139 569 1139 1139 455 455 1024 455 1706 1139 1139 "
           "1139 1139 682 1024 569 1139 1024 1479 1024 1024 1024 684 532 684 1196",
    True: "569 682 971 1139 1139 1821 1479 487 682 682 797 1196 569 682 569 569 1139 1139 1139 1139 1139 "
          "1139 1139 1139 1139 1139 682 682 1196 1196 1196 1251 1997 1479 1479 1479 1479 1366 1251 1593 "
          "1479 569 1139 1479 1251 1706 1479 1593 1366 1593 1479 1366 1251 1479 1366 1933 1366 1366 1251 "
          "682 569 682 1196 1139 682 1139 1251 1139 1251 1139 682 1251 1251 569 569 1139 569 1821 1251 1251 "
          "1251 1251 797 1139 682 1251 1139 1593 1139 1139 1024 797 573 797 1196",
}
_FALLBACK_CHAR = "M"


def font_file(bold: bool) -> Path | None:
    """The installed Liberation Sans file (regular or bold), or None."""
    name = FILES[bold]
    for d in FONT_DIRS:
        p = Path(d) / name
        if p.is_file():
            return p
    return _fc_match(bold)


def _fc_match(bold: bool) -> Path | None:
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", FAMILY + (":bold" if bold else "")],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out.endswith(FILES[bold]) and Path(out).is_file() else None


def missing_font() -> str | None:
    """A message (Indonesian, for the planner) when widths come from the built-in table, else None."""
    if all(font_file(b) for b in (False, True)):
        from importlib.util import find_spec

        if find_spec("fontTools") is not None:  # found, not imported (its import costs 20 ms)
            return None
        return "pustaka fontTools tidak terpasang; lebar kolom tabel diperkirakan dari tabel bawaan"
    return (f"fon {FAMILY} tidak ditemukan; lebar kolom tabel diperkirakan dari tabel bawaan "
            f"(pasang dengan: {INSTALL_HINT})")


def _read_font(path: Path) -> dict[str, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    scale = UNITS / font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    return {chr(cp): round(hmtx[glyph][0] * scale) for cp, glyph in font.getBestCmap().items()}


@lru_cache(maxsize=2)
def advances(bold: bool) -> dict[str, int]:
    """Advance width of each character, in 1/2048 em."""
    path = font_file(bold)
    if path is not None:
        import hashlib
        import json

        from renstra_gen.system.cache import cache_dir

        st = path.stat()
        key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:24]
        folder = cache_dir("fonts")
        cached = folder / f"{key}.json" if folder else None
        if cached is not None:
            try:
                return json.loads(cached.read_text("utf-8"))
            except (OSError, ValueError):
                pass
        try:
            widths = _read_font(path)
        except Exception:  # fontTools missing or the file unreadable: the built-in table below
            widths = None
        if widths is not None:
            if cached is not None:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = folder / f".{key}.{os.getpid()}.tmp"
                    tmp.write_text(json.dumps(widths), "utf-8")
                    os.replace(tmp, cached)
                except OSError:
                    pass  # a cache that cannot be written only costs time
            return widths
    return {chr(32 + i): int(w) for i, w in enumerate(_BUILTIN[bold].split())}


#: what breaks a line into words: ASCII white space only (str.split() would also split at U+00A0)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def words_of(line: str) -> list[str]:
    """The words of a line as a line breaker sees them: a no-break space joins its neighbours."""
    return [w for w in _SPACES.split(line) if w]


#: a hyphen between two short capitals-led parts (PUG-PP, P-IRT, RKA-SKPD): an acronym, not a
#: compound to wrap after its hyphen; not a number range (2021-2026) nor a longer chain (A-B-C)
_SHORT_ACRONYM = re.compile(r"(?<![\w\u2011-])([A-Z][A-Z0-9]{0,4})-(?=[A-Z][A-Z0-9]{0,4}(?![\w\u2011-]))")


#: a "/" between letters, where a zero-width space makes the break LibreOffice would not take
_SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")
ZWSP = "\u200b"


def keep_together(text: str) -> str:
    """`text` as the document prints it: a short acronym's hyphen made a no-break hyphen (U+2011),
    a zero-width space after a "/" between letters (a break LibreOffice takes there too)."""
    if "-" in text:
        text = _SHORT_ACRONYM.sub("\\1\u2011", text)
    if "/" in text:
        text = _SLASH.sub("/" + ZWSP, text)
    return text


class Measure:
    """Widths of text at 1 pt in one weight (multiply by the font size); words are cached."""

    def __init__(self, bold: bool):
        self.adv = dict(advances(bold))
        # the no-break characters print as the glyphs they stand for
        self.adv.setdefault("\u2011", self.adv.get("-", 682))
        self.adv.setdefault("\u00a0", self.adv.get(" ", 569))
        self.adv[ZWSP] = 0
        self.default = self.adv.get(_FALLBACK_CHAR, 1706)
        self.space = self.adv.get(" ", 569) / UNITS
        self._words: dict[str, float] = {}
        self._extents: dict[str, tuple[float, float]] = {}

    def word(self, w: str) -> float:
        """Width of a string without line breaks, in points at 1 pt."""
        got = self._words.get(w)
        if got is None:
            adv, default = self.adv, self.default
            got = sum(adv.get(c, default) for c in w) / UNITS
            self._words[w] = got
        return got

    def extent(self, text: str) -> tuple[float, float]:
        """(widest unbreakable piece, longest line) of a text at 1 pt; cached per text."""
        got = self._extents.get(text)
        if got is None:
            piece = longest = 0.0
            for line in text.split("\n"):
                words = words_of(keep_together(line))
                if not words:
                    continue
                widths = [self.word(w) for w in words]
                longest = max(longest, sum(widths) + self.space * (len(widths) - 1))
                for w, wd in zip(words, widths):
                    if wd > piece and ("/" in w or "-" in w):
                        wd = max(self.word(p) for p in pieces(w))
                    if wd > piece:
                        piece = wd
            got = self._extents[text] = (piece, longest)
        return got

    def line(self, s: str) -> float:
        """Width of one line of text (spaces between words as they are), at 1 pt."""
        words = s.split(" ")
        return sum(self.word(w) for w in words) + self.space * (len(words) - 1)


_MEASURES: dict[bool, Measure] = {}


def measure(bold: bool = False) -> Measure:
    m = _MEASURES.get(bold)
    if m is None:
        m = _MEASURES[bold] = Measure(bold)
    return m


_PIECE = re.compile(r"[^ \t\n\r\f\v/\-]*(?:/|-(?=[^\W\d_])|-)|[^ \t\n\r\f\v/\-]+")


def pieces(word: str) -> list[str]:
    """The unbreakable pieces of a word: it may break after "/" and after "-" before a letter."""
    if "/" not in word and "-" not in word:
        return [word]
    out: list[str] = []
    for m in _PIECE.finditer(word):
        p = m.group()
        # a "-" not followed by a letter (2021-2026, -5) does not allow a break: keep it joined
        if out and out[-1].endswith("-") and not p[:1].isalpha():
            out[-1] += p
        else:
            out.append(p)
    return out


def longest_piece(text: str, bold: bool = False) -> float:
    """Width (points at 1 pt) of the widest piece no line break may split."""
    return measure(bold).extent(text)[0]


def longest_line(text: str, bold: bool = False) -> float:
    """Width (points at 1 pt) of the longest line of the text when nothing wraps."""
    return measure(bold).extent(text)[1]


def line_count(text: str, room: float, bold: bool = False) -> int:
    """Lines the text takes in a column `room` points wide at 1 pt (divide room by the font size).

    Greedy filling, as word processors do; a piece wider than the room is cut (counted as the
    lines it spans)."""
    m = measure(bold)
    room = max(room, 0.5)  # a column narrower than its margins still holds a letter per line
    if "\n" not in text and m.extent(text)[1] <= room:
        return 1
    total = 0
    for part in text.split("\n"):
        words = words_of(keep_together(part))
        if not words:
            total += 1
            continue
        if m.line(" ".join(words)) <= room:
            total += 1
            continue
        lines, used = 1, 0.0
        for word in words:
            for i, piece in enumerate(pieces(word)):
                w = m.word(piece)
                gap = m.space if (i == 0 and used) else 0.0
                if used and used + gap + w > room:
                    lines, used, gap = lines + 1, 0.0, 0.0
                while w > room:  # a piece wider than the line is cut
                    lines, w = lines + 1, w - room
                used += gap + w
        total += lines
    return total
