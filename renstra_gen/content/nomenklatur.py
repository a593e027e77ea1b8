"""The official nomenclature shipped with the package: codes, levels, names and sub kegiatan metadata.

Versions (what `nomenklatur:` in renstra.yaml may say):

- `1317` — Kepmendagri 900.1.15.5-1317/2023, sub kegiatan numbered with four digits
  (1.06.05.2.01.0001); the full kabupaten/kota list ships in `data/nomenklatur-1317.tsv.gz`.
- `pasca-1317` — a SIPD state of bidang 1.06 and 2.08 after Kepmendagri 900.1.15.5-3406/2024 (an export of
  SIPD's "pemutakhiran", not a decree of its own; other codes as in 1317).
- an office's own version imported from a spreadsheet: nomenklatur_kantor.py.
- `90/2019`, `050-3708`, `050-5889` — older decrees whose documents number sub kegiatan with two
  digits (1.06.05.2.01.01). No list of them ships; their codes are compared with 1317 after
  zero-padding, and what differs is only a warning (the older list may have held it).

The lists load on first use (about 5 ms: lines are made into entries when asked for) and are kept
for the process.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import gzip
import re
from importlib import resources
from typing import NamedTuple

LEVELS = ("urusan", "bidang_urusan", "program", "kegiatan", "sub_kegiatan")
LEVEL_LABEL = {"urusan": "urusan", "bidang_urusan": "bidang urusan", "program": "program",
               "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}

#: declared version -> (list it is checked against, older 2-digit era?)
VERSIONS: dict[str, tuple[str, bool]] = {
    "90/2019": ("1317", True),
    "050-3708": ("1317", True),
    "050-5889": ("1317", True),
    "1317": ("1317", False),
    "pasca-1317": ("pasca-1317", False),
}
CURRENT = "1317"
#: bidang whose non-Penunjang programs the later update replaces
_PASCA_BIDANG = ("1.06", "2.08")

_CODE = re.compile(r"^\d(\.\d{2}(\.\d{2}(\.\d\.\d{2}(\.\d{2,4})?)?)?)?$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


class Entry(NamedTuple):
    """One code of the nomenclature (a named tuple: 8,000 of them are made at load)."""

    kode: str
    level: str
    nama: str
    kinerja: str = ""
    indikator: str = ""
    satuan: str = ""
    kunci: str = ""  # the name as compared (normalise_name), computed when the data file is made

    @property
    def parent(self) -> str | None:
        return parent_of(self.kode)

    @property
    def label(self) -> str:
        return LEVEL_LABEL[self.level]

    @property
    def kewenangan(self) -> str | None:
        """For a kegiatan or sub kegiatan that an ordinary kabupaten/kota does not use, whom it is for."""
        return special_kewenangan(self.kode)


#: the kewenangan digit of a kegiatan code (the 4th part: 1.02.02.3.02): 2 is the ordinary kabupaten/kota
#: kegiatan; the others belong to the special-autonomy and special-status regions (the 1317 list
#: holds 3/4 for Papua, 5 for the Daerah Istimewa Yogyakarta, 7 for Aceh)
SPECIAL_KEWENANGAN = {
    "3": "otonomi khusus Papua",
    "4": "otonomi khusus Papua",
    "5": "keistimewaan Daerah Istimewa Yogyakarta",
    "7": "kekhususan Aceh",
}


def special_kewenangan(code: str) -> str | None:
    """'otonomi khusus Papua' for 1.02.02.3.02.0057; None for an ordinary (digit 2) or shorter code."""
    parts = code.split(".")
    return SPECIAL_KEWENANGAN.get(parts[3]) if len(parts) >= 5 else None


def normalise_name(text: str | None, level: str | None = None) -> str:
    """A name compared without case, spacing and punctuation ('PROGRAM ' before a program's name too)."""
    words = _NOT_WORD.sub(" ", (text or "").casefold()).split()
    if level == "program" and words[:1] == ["program"]:
        words = words[1:]
    return " ".join(words)


def similarity(a: str, b: str, level: str | None = None) -> float:
    return difflib.SequenceMatcher(None, normalise_name(a, level), normalise_name(b, level), autojunk=False).ratio()


def parent_of(code: str) -> str | None:
    """The code one level up: a kegiatan's parent is its program (the kewenangan digit is no level)."""
    parts = code.split(".")
    if len(parts) <= 1:
        return None
    return ".".join(parts[:3] if len(parts) == 5 else parts[:-1])


def same_bidang_first(entries: list[Entry], code: str | None) -> list[Entry]:
    """The entries of the bidang of `code` (in code order); the others only when there are none."""
    bidang = ".".join((code or "").split(".")[:2]) + "."
    own = [e for e in entries if e.kode.startswith(bidang)]
    return sorted(own or entries, key=lambda e: _sort_key(e.kode))


def level_of(code: str) -> str | None:
    """The level a code's shape belongs to, or None when it has none of the official shapes."""
    if not _CODE.match(code):
        return None
    return LEVELS[{1: 0, 2: 1, 3: 2, 5: 3, 6: 4}[code.count(".") + 1]]


def canonical(code: str) -> str:
    """The code as the lists write it: spaces and a trailing dot dropped, a 2-digit sub kegiatan number padded."""
    code = code.replace(" ", "").rstrip(".")
    parts = code.split(".")
    if len(parts) == 6 and len(parts[5]) == 2 and parts[5].isdigit():
        parts[5] = parts[5].zfill(4)
    return ".".join(parts)


def is_two_digit(code: str) -> bool:
    parts = code.replace(" ", "").rstrip(".").split(".")
    return len(parts) == 6 and len(parts[5]) == 2


class Nomenklatur:
    """One version of the list: lookup by code, children, search by words or by name.

    It holds each code's line of the data file and makes an Entry of a line when it is asked for:
    a check looks at a few hundred of 8,000 codes, and making them all cost more than the rest of
    the check (the indexes by parent and by name are built on first use)."""

    def __init__(self, version: str, lines: dict[str, str]):
        self.version = version
        self._lines = lines  # code -> its tab-separated line, in code order
        self._made: dict[str, Entry] = {}

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def lines(self) -> dict[str, str]:
        """code -> its tab-separated line (kode level nama kinerja indikator satuan kunci), in code order."""
        return self._lines

    def __contains__(self, code: str) -> bool:
        return code in self._lines

    def get(self, code: str | None) -> Entry | None:
        if not code:
            return None
        entry = self._made.get(code)
        if entry is None:
            line = self._lines.get(code)
            if line is None:
                return None
            entry = self._made[code] = Entry._make(line.split("\t"))
        return entry

    @functools.cached_property
    def entries(self) -> dict[str, Entry]:
        """Every code's entry, in code order."""
        return {code: self.get(code) for code in self._lines}

    @functools.cached_property
    def _codes(self) -> list[str]:
        return sorted(self._lines)  # as text, for bisect (the same order: every part has a fixed width)

    @functools.cached_property
    def _by_name(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for code, line in self._lines.items():
            level = line[len(code) + 1:line.index("\t", len(code) + 1)]
            out.setdefault((level, line[line.rindex("\t") + 1:]), []).append(code)
        return out

    def children(self, code: str | None) -> list[Entry]:
        """The codes directly under `code` (None: the urusan), in code order."""
        if code is None:
            return [self.get(c) for c in self._codes if "." not in c]
        prefix = code + "."
        lo = bisect.bisect_left(self._codes, prefix)
        hi = bisect.bisect_left(self._codes, code + "/")  # "/" sorts right after "."
        return [self.get(c) for c in self._codes[lo:hi] if parent_of(c) == code]

    def descendants(self, code: str) -> list[Entry]:
        out = []
        for child in self.children(code):
            out.append(child)
            out += self.descendants(child.kode)
        return out

    def by_name(self, name: str, level: str) -> list[Entry]:
        """Every code at `level` whose official name equals `name` (ignoring case, spacing, punctuation)."""
        return [self.get(c) for c in self._by_name.get((level, normalise_name(name, level)), [])]

    def nearest(self, name: str, candidates: list[Entry], n: int = 3, cutoff: float = 0.6) -> list[tuple[float, Entry]]:
        """The candidates whose names are closest to `name`, best first (ratio ≥ cutoff)."""
        scored = [(similarity(name, e.nama, e.level), e) for e in candidates]
        scored = [(s, e) for s, e in scored if s >= cutoff]
        scored.sort(key=lambda se: (-se[0], _sort_key(se[1].kode)))
        return scored[:n]

    def search(self, query: str) -> list[Entry]:
        """A code prefix ('1.06.05') gives that code and everything under it; words give every
        code whose name holds all of them."""
        q = query.strip()
        if re.fullmatch(r"\d+(\.\d+)*\.?", q):
            prefix = canonical(q) if q.count(".") >= 5 else q.rstrip(".")
            return [e for e in self.entries.values() if e.kode == prefix or e.kode.startswith(prefix + ".")]
        words = normalise_name(q).split()
        if not words:
            return []
        return [e for e in self.entries.values() if set(words) <= set(normalise_name(e.nama).split())]


def _sort_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in code.split("."))


sort_key = _sort_key  # codes in the lists' order (1.02 before 1.10)


@functools.lru_cache(maxsize=2)
def _read(name: str) -> dict[str, str]:
    """code -> its line of a data file (code, level, name, kinerja, indikator, satuan, compared name)."""
    data = gzip.decompress(resources.files("renstra_gen.data").joinpath(name).read_bytes()).decode("utf-8")
    return {line[:line.index("\t")]: line for line in data.splitlines()}


@functools.lru_cache(maxsize=4)
def load(version: str = CURRENT) -> Nomenklatur:
    """The list a declared version is checked against (see VERSIONS); KeyError for an unknown one."""
    listed, _ = VERSIONS[version]
    entries = _read("nomenklatur-1317.tsv.gz")  # shared by the versions checked against it; never changed
    if listed == "pasca-1317":
        replaced = tuple(f"{b}." for b in _PASCA_BIDANG)
        entries = {k: e for k, e in entries.items()
                   if not (k.startswith(replaced) and k.count(".") >= 2 and k.split(".")[2] != "01")}
        entries.update(_read("nomenklatur-pasca1317.tsv.gz"))
        entries = dict(sorted(entries.items(), key=lambda kv: _sort_key(kv[0])))
    return Nomenklatur(version, entries)


def is_older(version: str) -> bool:
    return VERSIONS[version][1]
