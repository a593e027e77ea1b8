"""`renstra migrasi-kode`: rewrites the program tree's codes to the 4-digit nomenclature, line by line.

Per row, in document order (a row's parent is mapped first):
- padding: the 2-digit sub kegiatan number zero-padded is an official code under the same kegiatan
  and its official name agrees with the row's (equal, or similar ≥ 0.8);
- nama: otherwise the official code of the same level under the same parent whose name agrees
  (self-numbered rows, e.g. Penunjang items numbered by the office);
- rapi: a program/kegiatan code written with a trailing dot or spaces;
- everything else is listed as not mapped, with suggestions, and left as it is.
Only the `kode` value on the row's own line changes (comments and layout stay); renstra.yaml gets
`nomenklatur: "<target>"`; codes in renja/<TAHUN>/renja.yaml follow their sub kegiatan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from renstra_gen.content import model as m
from renstra_gen.content import nomenklatur as nk
from renstra_gen.content import nomenklatur_kantor as kantor
from renstra_gen.check.nomenklatur import LEVEL_NAME, suggestions, walk
from renstra_gen.errors import ContentError, Source, error
from renstra_gen.content.load import load_content
from renstra_gen.content.paths import inside
from renstra_gen.content.yamlio import read_text

SIMILAR = 0.8  # name similarity (difflib ratio) for a row to keep its padded code
SAME_WORDS = 0.7  # a match by name alone also shares this part of its words (long names that
#                   differ in one phrase, e.g. "... Pekerja Sosial Masyarakat ..." vs
#                   "... Sumber Kesejahteraan Sosial Kelembagaan Masyarakat ...", are 0.84 similar)


@dataclass
class Change:
    source: Source
    level: str
    nama: str
    old: str
    new: str
    cara: str  # padding | nama | rapi | nomenklatur | renja
    official: str = ""

    def __str__(self) -> str:
        how = {"padding": "padding", "rapi": "kode dirapikan", "nomenklatur": "versi nomenklatur",
               "renja": "kode di Renja"}.get(self.cara, f"menurut nama resmi '{self.official}'")
        return f"{self.source}: {LEVEL_NAME.get(self.level, self.level)} {self.old} → {self.new} ({how})"


@dataclass
class Unmapped:
    source: Source
    level: str
    kode: str | None
    nama: str
    usulan: list[nk.Entry] = field(default_factory=list)

    def __str__(self) -> str:
        what = f"{LEVEL_NAME[self.level]} {self.kode}" if self.kode else f"{LEVEL_NAME[self.level]} tanpa kode"
        tips = "; usulan: " + "; ".join(f"{e.kode} {e.nama}" for e in self.usulan) if self.usulan else ""
        return f"{self.source}: {what} '{self.nama}' tidak dapat dipetakan{tips}"


@dataclass
class Migration:
    target: str
    changes: list[Change]
    unmapped: list[Unmapped]

    def count(self, cara: str, level: str | None = None) -> int:
        return sum(1 for c in self.changes if c.cara == cara and (level is None or c.level == level))


def _agrees(name: str, official: nk.Entry) -> float:
    return nk.similarity(name, official.nama, official.level)


def _shared_words(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _by_name(nom: nk.Nomenklatur, name: str, candidates: list[nk.Entry]) -> nk.Entry | None:
    """The one candidate whose official name is the row's (ignoring case, spacing, punctuation), else
    the one that is similar (≥ SIMILAR) and shares most words (≥ SAME_WORDS); None when there is none
    or two come equally close."""
    exact = [e for e in candidates if e.kunci == nk.normalise_name(name, e.level)]
    if exact:
        return exact[0]
    close = [(s, e) for s, e in nom.nearest(name, candidates, n=len(candidates), cutoff=SIMILAR)
             if _shared_words(nk.normalise_name(name, e.level), e.kunci) >= SAME_WORDS]
    if not close or (len(close) > 1 and close[1][0] > close[0][0] - 0.02):
        return None
    return close[0][1]


def map_row(nom: nk.Nomenklatur, row: m.TreeRow, level: str, parent_new: str | None) -> tuple[str | None, str]:
    """(official code, how) for one row, or (None, '') when it cannot be mapped."""
    raw = row.kode.strip()
    code = nk.canonical(raw)
    entry = nom.get(code)
    if entry is not None and entry.level == level and (parent_new is None or entry.parent == parent_new):
        if level == "sub_kegiatan" and code != raw.replace(" ", "").rstrip("."):
            if nk.normalise_name(row.nama, level) == nk.normalise_name(entry.nama, level):
                return code, "padding"
        elif _agrees(row.nama, entry) >= SIMILAR or level != "sub_kegiatan":
            return code, "rapi"
    under = parent_new or (nk.parent_of(code) if nom.get(nk.parent_of(code) or "") else None)
    candidates = [e for e in nom.children(under) if e.level == level] if under else []
    named = _by_name(nom, row.nama, [e for e in candidates
                                     if nk.normalise_name(e.nama, level) == nk.normalise_name(row.nama, level)])
    if named is not None:
        return named.kode, ("padding" if named.kode == code else "nama")
    if entry is not None and entry.level == level and (parent_new is None or entry.parent == parent_new) \
            and _agrees(row.nama, entry) >= SIMILAR:
        return code, ("padding" if level == "sub_kegiatan" and code != raw.rstrip(".") else "rapi")
    named = _by_name(nom, row.nama, candidates)
    if named is not None:
        return named.kode, "nama"
    if level == "program":  # a program by its name within the bidang
        same = nk.same_bidang_first(nom.by_name(row.nama, level), code)
        if same and same[0].kode.startswith(".".join(code.split(".")[:2]) + "."):
            return same[0].kode, "nama"
    return None, ""


def plan(content_dir: Path, target: str = nk.CURRENT) -> Migration:
    """What `migrasi-kode` would change; nothing is written."""
    if target in nk.VERSIONS and nk.is_older(target):
        allowed = ", ".join(v for v in nk.VERSIONS if not nk.is_older(v))
        raise ContentError([error(Source("--ke"), f"nomenklatur tujuan '{target}' tidak dikenal (pilihan: {allowed}, "
                                                  f"atau nomenklatur kantor di folder nomenklatur/)")])
    nom = kantor.resolve(Path(content_dir), target, Source("--ke")).nom  # shipped, or the office's own
    content = load_content(Path(content_dir))
    changes: list[Change] = []
    unmapped: list[Unmapped] = []
    sub_map: dict[str, str] = {}
    for t in content.tables.values():
        if not isinstance(t, m.ProgramTable):
            continue
        new_code: dict[int, str | None] = {}
        for row, level, parent in walk(t):
            parent_new = new_code.get(id(parent)) if parent is not None else None
            src = row.source_of("kode")
            if not row.kode:
                under = parent_new if nom.get(parent_new) else None
                unmapped.append(Unmapped(src, level, None, row.nama, suggestions(nom, row.nama, level, under)))
                new_code[id(row)] = None
                continue
            new, how = map_row(nom, row, level, parent_new if nom.get(parent_new) else None)
            new_code[id(row)] = new
            if new is None:
                under = parent_new if nom.get(parent_new) else None
                unmapped.append(Unmapped(src, level, row.kode, row.nama,
                                         suggestions(nom, row.nama, level, under, nk.canonical(row.kode))))
                continue
            if new != row.kode:
                changes.append(Change(src, level, row.nama, row.kode, new, how, nom.get(new).nama))
                if level == "sub_kegiatan":
                    sub_map[row.kode] = new
    identity = content.identity
    declared = identity.nomenklatur
    if declared != target:
        line = identity.key_lines.get("nomenklatur")
        changes.append(Change(Source("renstra.yaml", line), "nomenklatur", "", declared or "-", target, "nomenklatur"))
    changes += _renja_changes(Path(content_dir), sub_map)
    return Migration(target, changes, unmapped)


_KODE = re.compile(r"""(\bkode:\s*)(["']?)([0-9. ]+?)\2(?=\s*(?:[,}#]|$))""")


def _renja_changes(root: Path, sub_map: dict[str, str]) -> list[Change]:
    out = []
    for path in sorted(root.glob("renja/*/renja.yaml")):
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(read_text(inside(root, rel), rel).split("\n"), 1):
            for match in _KODE.finditer(line):
                old = match.group(3)
                if old in sub_map:
                    out.append(Change(Source(rel, n), "sub_kegiatan", "", old, sub_map[old], "renja"))
    return out


def _edit_line(line: str, old: str, new: str) -> str | None:
    """The line with the code value `old` replaced by the quoted `new`; None when it is not there."""
    done = False

    def swap(match: re.Match) -> str:
        nonlocal done
        if done or match.group(3).strip() != old.strip():
            return match.group(0)
        done = True
        return f'{match.group(1)}"{new}"'

    edited = _KODE.sub(swap, line)
    return edited if done else None


def apply(content_dir: Path, migration: Migration) -> list[Path]:
    """Write the changes (every file atomically, all or nothing); returns the files changed."""
    from renstra_gen.system.atomic import write_atomically

    root = Path(content_dir)
    texts: dict[str, list[str]] = {}
    problems = []
    for c in migration.changes:
        if c.source.file not in texts:
            texts[c.source.file] = read_text(inside(root, c.source.file), c.source.file).split("\n")
        lines = texts[c.source.file]
        if c.cara == "nomenklatur":
            entry = f'nomenklatur: "{c.new}"'
            if c.source.line:
                lines[c.source.line - 1] = re.sub(r"^nomenklatur:.*$", entry, lines[c.source.line - 1])
            else:
                if lines and lines[-1] == "":
                    lines.insert(len(lines) - 1, entry)
                else:
                    lines.append(entry)
            continue
        edited = _edit_line(lines[c.source.line - 1], c.old, c.new) if c.source.line else None
        if edited is None:
            problems.append(error(c.source, f"kode {c.old} tidak ditemukan di baris ini; tidak ada berkas yang diubah"))
            continue
        lines[c.source.line - 1] = edited
    if problems:
        raise ContentError(problems)
    for rel in texts:
        inside(root, rel)  # read from inside the content folder above; written back only there
    return write_atomically({root / rel: "\n".join(lines).encode("utf-8") for rel, lines in texts.items()})
