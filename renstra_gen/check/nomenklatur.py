"""Checks of the program tree against the official nomenclature, and of guidance text left in the content.

Per coded row of a program table: a code the nomenclature does not hold (with up to three
suggestions), a name that differs from the official one, a code of another level than its row,
a code whose official parent is not its row's parent. Severity: galat for a sub kegiatan in a
document that follows the 4-digit nomenclature (SIPD rejects it), peringatan otherwise.
"""

from __future__ import annotations

import re

from renstra_gen.content import model as m, nomenklatur as nk, nomenklatur_kantor as kantor
from renstra_gen.errors import ContentError, error, Finding, placeholder, Source, warning
from renstra_gen.content.load import Content
from renstra_gen.content.paths import inside
from renstra_gen.content.yamlio import read_text

LEVEL_NAME = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}
GUIDANCE = "[PANDUAN"
#: `nomenklatur: tanpa`: codes not compared with a list (a province document: its list is not shipped)
NOT_CHECKED = "tanpa"
_GUIDANCE_LINE = re.compile(r"\[PANDUAN[^\]]*\]?")
OFFICE_HINT = "impor nomenklatur kantor dengan `renstra nomenklatur impor`"


def version_of(content: Content) -> str:
    """The nomenclature the document declares; undeclared: 1317 when any sub kegiatan code has four
    digits, else the older 2-digit era."""
    if content.identity.nomenklatur:
        return content.identity.nomenklatur
    for t in content.tables.values():
        if isinstance(t, m.ProgramTable):
            for row, level, _ in walk(t):
                if level == "sub_kegiatan" and row.kode and len(row.kode.rstrip(".").rsplit(".", 1)[-1]) == 4:
                    return nk.CURRENT
    return "90/2019"


def walk(t: m.ProgramTable):
    """(row, level, parent row) of every row of the tree, in document order."""
    for p in t.program:
        yield p, "program", None
        for k in p.kegiatan:
            yield k, "kegiatan", p
            for s in k.sub_kegiatan:
                yield s, "sub_kegiatan", k


def check_nomenklatur(content: Content) -> list[Finding]:
    out: list[Finding] = []
    version = version_of(content)
    resolved = None
    if "nomenklatur" in content.unavailable:  # the declared version is unknown: reported once, by load
        return check_guidance(content)
    if version != NOT_CHECKED:
        try:  # a shipped list, or the office's own version in nomenklatur/ (read and checked here)
            resolved = kantor.resolve(content.root, version, content.identity.source_of("nomenklatur"))
        except ContentError as e:
            return e.findings + check_guidance(content)
    for t in content.tables.values():
        if isinstance(t, m.ProgramTable):
            out += check_program_codes(t, version, resolved)
    out += check_guidance(content)
    return out


def lookup_code(code: str, older: bool) -> str:
    """The code to look up: a 2-digit sub kegiatan number is padded only in the older era."""
    return nk.canonical(code) if older else code.replace(" ", "").rstrip(".")


def _label(row: m.TreeRow, level: str) -> str:
    return f"{LEVEL_NAME[level]} {row.kode} {row.nama}"


def _show(e: nk.Entry) -> str:
    return f"{e.kode} {e.nama}"


def suggestions(nom: nk.Nomenklatur, name: str, level: str, under: str | None, code: str | None = None) -> list[nk.Entry]:
    """Up to three official codes for a row: its name elsewhere (same bidang first), then the
    nearest names under `under` (the official parent)."""
    found: list[nk.Entry] = []
    for e in nk.same_bidang_first(nom.by_name(name, level), under or code):
        if e.kode != code and e not in found:
            found.append(e)
    if under:
        candidates = [e for e in nom.children(under) if e.level == level]
        for _, e in nom.nearest(name, candidates, n=3, cutoff=0.5):
            if e.kode != code and e not in found:
                found.append(e)
    return found[:3]


def check_nesting(t: m.ProgramTable) -> list[Finding]:
    """Without a list: only that each code starts with its parent row's code."""
    out = []
    for row, level, parent in walk(t):
        if row.kode and parent is not None and parent.kode:
            code, parent_code = row.kode.strip().rstrip("."), parent.kode.strip().rstrip(".")
            if not code.startswith(parent_code + "."):
                out.append(warning(row.source_of("kode"), f"{_label(row, level)}: kode tidak berada di bawah "
                                                          f"kode induknya {parent.kode}"))
    return out


def check_program_codes(t: m.ProgramTable, version: str, resolved: kantor.Resolved | None = None) -> list[Finding]:
    if version == NOT_CHECKED:
        return check_nesting(t)
    resolved = resolved or kantor.resolve(None, version)
    older, nom = resolved.older, resolved.nom
    what = f"nomenklatur {version}" + (" (dibandingkan dengan 1317)" if older else "")
    out: list[Finding] = []
    for row, level, parent in walk(t):
        if not row.kode:
            continue  # check.py reports the missing code
        raw = row.kode.strip()
        code = lookup_code(raw, older)
        src, label = row.source_of("kode"), _label(row, level)
        parent_code = lookup_code(parent.kode, older) if parent is not None and parent.kode else None
        entry = nom.get(code)
        parts = code.split(".")
        province = len(parts) >= 4 and parts[3] == "1"  # province kegiatan: not in the shipped lists
        if entry is None or province:
            if parent_code and not code.startswith(parent_code + "."):
                out.append(warning(src, f"{label}: kode tidak berada di bawah kode induknya {parent.kode}"))
            if province:
                continue
        severe = level == "sub_kegiatan" and not older
        report = error if severe else warning
        official_parent = parent_code if nom.get(parent_code) else nk.parent_of(code)
        if entry is None:
            msg = f"{label}: kode tidak ada dalam {what}"
            if level == "sub_kegiatan" and not older and nk.is_two_digit(raw) and nom.get(nk.canonical(raw)):
                msg += f" (kode sub kegiatan 4 digit: {nk.canonical(raw)})"
            tips = suggestions(nom, row.nama, level, official_parent if nom.get(official_parent) else None, code)
            if tips:
                msg += "; usulan: " + "; ".join(_show(e) for e in tips)
            if severe and resolved.file is None:  # a newer decree's code: the office's own version takes it
                msg += f" (kode dari versi yang lebih baru, misalnya 3406/2024? {OFFICE_HINT})"
            out.append(report(src, msg))
            continue
        if entry.level != level:
            msg = (f"{label}: kode {raw} adalah kode {entry.label} dalam {what}, bukan kode {LEVEL_NAME[level]}")
            tips = suggestions(nom, row.nama, level, parent_code if nom.get(parent_code) else None, code)
            if tips:
                msg += "; usulan: " + "; ".join(_show(e) for e in tips)
            out.append(report(src, msg))
            continue
        if parent_code and entry.parent != parent_code:
            up = nom.get(entry.parent)  # every code's parent is in the list
            out.append(report(src, f"{label}: kode tidak berada di bawah kode induknya {parent.kode}; "
                                   f"induk resminya {up.label} {up.kode} {up.nama}"))
        if nk.normalise_name(row.nama, level) != entry.kunci:
            msg = f"{label}: nama berbeda dari {what}; nama resmi: '{entry.nama}'"
            elsewhere = [e for e in nk.same_bidang_first(nom.by_name(row.nama, level), code) if e.kode != entry.kode]
            if elsewhere:
                msg += "; nama ini resmi untuk " + "; ".join(_show(e) for e in elsewhere[:3])
            out.append(warning(row.source_of("nama"), msg))
    return out


def check_guidance(content: Content) -> list[Finding]:
    """Every line still holding guidance text ('[PANDUAN ...]', written by `renstra init`)."""
    files = [f.file for f in ([content.kata_pengantar] if content.kata_pengantar else []) + content.chapters if f]
    files = ["renstra.yaml"] + files + [t.source.file for t in list(content.tables.values()) + content.lampiran]
    files += [f.source.file for f in content.figures.values()]
    files += [name for name in ("indikator.yaml", "organisasi.yaml") if (content.root / name).is_file()]
    out = []
    for rel in dict.fromkeys(files):
        try:
            text = read_text(inside(content.root, rel), rel)
        except ContentError:
            continue  # reported by load
        out += guidance_in(rel, text)
    return out


def guidance_in(rel: str, text: str) -> list[Finding]:
    """A placeholder finding for every line of `text` (the file `rel`) that still holds guidance text."""
    if GUIDANCE not in text:
        return []
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if GUIDANCE in line:
            hint = _GUIDANCE_LINE.search(line).group(0).strip("[]").removeprefix("PANDUAN").lstrip(": ")
            if hint.strip(" .…") == "":
                continue  # '[PANDUAN: ...]' names the marker itself (the starter's instruction comment)
            hint = hint if len(hint) <= 60 else hint[:57].rstrip() + "..."
            out.append(placeholder(Source(rel, n), f"teks panduan belum diganti: {hint}"))
    return out
