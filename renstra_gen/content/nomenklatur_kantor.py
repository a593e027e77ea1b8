"""The office's own nomenclature version: where it is stored in the content folder, how it is read
back, and how a declared `nomenklatur:` resolves to the list the codes are checked against.

`renstra nomenklatur impor` (nomenklatur_impor.py) stores a sheet as
`<content>/nomenklatur/<nama>.tsv.gz`: gzip'd UTF-8 (mtime 0), one comment line naming the version,
one header line, then one row per code sorted by code, tab-separated `kode level nama kinerja
indikator satuan`. renstra.yaml names it (`nomenklatur: "3406/2024"`, or the file's path).

The office's list replaces the shipped 1317 for every bidang it holds; a bidang it does not hold,
an urusan or bidang urusan row it leaves out, and the Penunjang program X.XX.01 of a bidang whose
sheet has none, are taken from 1317 (SIPD exports of one office often carry only its own bidang).
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from renstra_gen.content import limits
from renstra_gen.content import nomenklatur as nk
from renstra_gen.errors import ContentError, Source, error
from renstra_gen.content.paths import inside

FOLDER = "nomenklatur"
SUFFIX = ".tsv.gz"
HEADER = "kode\tlevel\tnama\tkinerja\tindikator\tsatuan"
COMMENT = "# nomenklatur kantor: "
#: what a version name may hold (it becomes a file name: '/' and spaces turn into '-')
_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z ._/+()-]{0,59}$")
_UNSAFE = re.compile(r"[^0-9A-Za-z._+()-]+")


@dataclass(frozen=True)
class Resolved:
    """A declared version, resolved: the list, whether it is an older 2-digit era, and its label."""

    version: str
    nom: nk.Nomenklatur
    older: bool
    #: the file of an office's version, relative to the content folder (None: a shipped list)
    file: str | None = None


def builtin_names() -> list[str]:
    return list(nk.VERSIONS)


def file_stem(name: str) -> str:
    """'3406/2024' -> '3406-2024' (the stored file's name without .tsv.gz)."""
    return _UNSAFE.sub("-", name.strip()).strip("-.")


def valid_name(name: str) -> str | None:
    """Why `name` cannot name an office version, or None when it can."""
    if not _NAME.match(name or "") or not file_stem(name):
        return (f"nama nomenklatur '{name}' tidak sah: pakai huruf, angka, titik, garis miring atau tanda hubung "
                f"(contoh: 3406/2024), paling banyak 60 karakter")
    if name in nk.VERSIONS or name == "tanpa" or file_stem(name) in nk.VERSIONS:
        return f"nama nomenklatur '{name}' sudah dipakai nomenklatur bawaan; pilih nama lain (contoh: 3406/2024)"
    return None


def relative_file(declared: str) -> str:
    """The content-relative file a declared office version names: a name ('3406/2024'), a file name
    in nomenklatur/ ('3406-2024.tsv.gz') or a path inside the content folder."""
    declared = declared.strip()
    if declared.endswith(SUFFIX):
        return declared if "/" in declared or "\\" in declared else f"{FOLDER}/{declared}"
    return f"{FOLDER}/{file_stem(declared)}{SUFFIX}"


def find(root: Path, declared: str, referrer: Source | None = None) -> Path:
    """The real path of a declared office version inside the content folder; ContentError when it
    leaves the folder or is not there."""
    where = referrer or Source("renstra.yaml")
    rel = relative_file(declared)
    if not declared.endswith(SUFFIX) and valid_name(declared):
        raise ContentError([error(where, _unknown(declared, rel))])
    path = inside(root, rel, where)
    if not path.is_file():
        raise ContentError([error(where, _unknown(declared, rel))])
    return path


def _unknown(declared: str, rel: str) -> str:
    return (f"nomenklatur harus salah satu dari {', '.join(builtin_names())}, tanpa, atau nomenklatur kantor yang "
            f"diimpor dengan `renstra nomenklatur impor` (tertulis '{declared}', berkas {rel} tidak ada)")


def resolve(root: Path | None, declared: str, referrer: Source | None = None) -> Resolved:
    """The list a declared version stands for: a shipped one, else the office's file in `root`."""
    if declared in nk.VERSIONS:
        return Resolved(declared, nk.load(declared), nk.is_older(declared))
    if root is None:
        raise ContentError([error(referrer or Source("--versi"), _unknown(declared, relative_file(declared)))])
    path = find(root, declared, referrer)
    rel = path.relative_to(Path(root).resolve()).as_posix()
    stat = path.stat()
    return Resolved(declared, _load_cached(str(path), stat.st_mtime_ns, stat.st_size, rel), False, rel)


_CACHE: dict[tuple, nk.Nomenklatur] = {}


def _load_cached(path: str, mtime: int, size: int, rel: str) -> nk.Nomenklatur:
    key = (path, mtime, size)
    if key not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = merged(read_rows(Path(path), rel), rel)
    return _CACHE[key]


def read_rows(path: Path, rel: str) -> dict[str, tuple[str, ...]]:
    """code -> (kode, level, nama, kinerja, indikator, satuan) of a stored file, every line checked
    (the file is content: it may have been edited by hand); ContentError naming file:line."""
    try:
        raw = path.read_bytes()
        if len(raw) > limits.XLSX_BYTES:
            raise ContentError([error(Source(rel), f"berkas nomenklatur terlalu besar (lebih dari "
                                                   f"{limits.size(limits.XLSX_BYTES)})")])
        text = _gunzip(raw, limits.YAML_BYTES).decode("utf-8")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError) as e:
        raise ContentError([error(Source(rel), f"berkas nomenklatur tidak dapat dibaca ({e}); impor ulang "
                                               f"lembarnya dengan `renstra nomenklatur impor`")]) from None
    rows: dict[str, tuple[str, ...]] = {}
    numbers: dict[str, int] = {}
    problems = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#") or line == HEADER:
            continue
        if len(rows) >= limits.NOMENKLATUR_ROWS:
            problems.append(error(Source(rel, n), f"lebih dari {limits.count(limits.NOMENKLATUR_ROWS)} kode"))
            break
        cells = line.split("\t")
        if len(cells) != 6:
            problems.append(error(Source(rel, n), f"baris harus berisi 6 kolom dipisah tab ({HEADER}), "
                                                  f"berisi {len(cells)}"))
            continue
        code, level = cells[0], cells[1]
        if nk.level_of(code) != level:
            problems.append(error(Source(rel, n), f"kode '{code}' bukan kode {level}"))
            continue
        if code in rows:
            problems.append(error(Source(rel, n), f"kode {code} tertulis dua kali"))
            continue
        rows[code] = tuple(cells)
        numbers[code] = n
        if len(problems) >= 50:
            break
    if not problems:
        problems = missing_parents(rows, lambda code: Source(rel, numbers[code]), "di berkas ini")
    if problems:
        raise ContentError(problems)
    return rows


def missing_parents(rows: dict, where, place: str = "di lembar") -> list:
    """A code whose parent is not among `rows`: an error at where(code). An urusan or bidang urusan
    parent may come from 1317 (a sheet of one office's bidang often leaves them out)."""
    shipped = nk.load(nk.CURRENT)
    out = []
    for code in rows:
        parent = nk.parent_of(code)
        if parent is None or parent in rows:
            continue
        up = nk.level_of(parent)
        if up in ("urusan", "bidang_urusan") and parent in shipped:
            continue
        out.append(error(where(code), f"{nk.LEVEL_LABEL[nk.level_of(code)]} {code} tanpa {nk.LEVEL_LABEL[up]} "
                                      f"induknya {parent} {place}"))
    return out


def _gunzip(data: bytes, budget: int) -> bytes:
    """gzip data unpacked to at most `budget` bytes (a gzip bomb stops there)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, budget + 1)
    if len(out) > budget or d.unconsumed_tail:
        raise ValueError(f"lebih dari {limits.size(budget)} setelah diurai")
    return out


def _line(row: tuple[str, ...]) -> str:
    return "\t".join(row) + "\t" + nk.normalise_name(row[2], row[1])


def merged(rows: dict[str, tuple[str, ...]], version: str) -> nk.Nomenklatur:
    """The office's rows, completed from 1317 (see the module docstring), in code order."""
    shipped = nk.load(nk.CURRENT)
    held = {code.split(".")[0] + "." + code.split(".")[1] for code in rows if code.count(".") >= 2}
    held |= {code for code, row in rows.items() if row[1] == "bidang_urusan"}
    lines: dict[str, str] = {}
    for code in shipped.lines:  # the shipped lines, unchanged, for what the sheet lacks
        parts = code.split(".")
        bidang = ".".join(parts[:2])
        if len(parts) <= 2 or bidang not in held:
            lines[code] = shipped.lines[code]
        elif parts[2] == "01" and not any(c == f"{bidang}.01" or c.startswith(f"{bidang}.01.") for c in rows):
            lines[code] = shipped.lines[code]  # the bidang's Penunjang program
    for code, row in rows.items():
        lines[code] = _line(row)
    ordered = dict(sorted(lines.items(), key=lambda kv: nk.sort_key(kv[0])))
    return nk.Nomenklatur(version, ordered)


def declared_in(content_dir: Path) -> str | None:
    """What renstra.yaml of a content folder says under `nomenklatur:` (None: nothing, or no file)."""
    from renstra_gen.content.yamlio import load_yaml

    path = Path(content_dir) / "renstra.yaml"
    if not path.is_file():
        return None
    try:
        data, _ = load_yaml(inside(content_dir, "renstra.yaml"), "renstra.yaml", [])
    except ContentError:
        return None
    value = data.get("nomenklatur") if isinstance(data, dict) else None
    return None if value is None else str(value)


def check_declared(root: Path, declared: str, referrer: Source) -> None:
    """ContentError at renstra.yaml:line when `nomenklatur:` names no shipped version and no office file."""
    if declared in nk.VERSIONS or declared == "tanpa":
        return
    find(root, declared, referrer)


def stored_name(path: Path, rel: str) -> str | None:
    """The version name a stored file's first line gives (None: the line is not there)."""
    try:
        head = _gunzip(Path(path).read_bytes()[: limits.XLSX_BYTES], limits.YAML_BYTES).split(b"\n", 1)[0]
    except (OSError, zlib.error, ValueError):
        return None
    line = head.decode("utf-8", errors="replace")
    if not line.startswith(COMMENT):
        return None
    name = line[len(COMMENT):].split(" (dari ", 1)[0].strip()
    return None if valid_name(name) else name


def from_file(path: Path) -> tuple[str, nk.Nomenklatur, bytes]:
    """A stored office version outside any content folder (`renstra init --nomenklatur FILE`):
    (its name, the merged list, the file's bytes to copy into the new content)."""
    path = Path(path)
    rows = read_rows(path, str(path))
    name = stored_name(path, str(path)) or path.name.removesuffix(SUFFIX)
    if valid_name(name):
        raise ContentError([error(Source(str(path)), valid_name(name))])
    return name, merged(rows, name), path.read_bytes()
