"""`renstra nomenklatur impor`: an office's nomenclature sheet (the decree's lampiran, a SIPD export)
read, validated row by row, compared with the shipped 1317 and stored beside the content.

Reading: .xlsx (measured first, with import-xlsx's workbook budgets, and its rows counted before
any parser sees it) or .csv; in every sheet the header row is looked for in the first rows, its
columns matched loosely as SIPD and Bappeda spreadsheets write them (kode / kode rekening /
kode_sub_giat, nama / uraian / nomenklatur, kinerja, indikator, satuan). Three layouts:
one code column and one name column; the code split over several columns (the decree's lampiran:
a merged KODE header over urusan, bidang, program, kegiatan, sub kegiatan); a row per sub kegiatan
with a code and a name column per level (SIPD's kode_urusan, nama_urusan, ... kode_sub_giat,
nama_sub_giat). The level of each row comes from its code's shape.

Every problem (a code of no official shape, a code without its parent, one code with two names,
a code without a name) is a finding at Sheet!Cell; with any, nothing is stored.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from renstra_gen.content import limits
from renstra_gen.content import nomenklatur as nk
from renstra_gen.content import nomenklatur_kantor as kantor
from renstra_gen.errors import ContentError, Finding, Source, error
from renstra_gen.content.paths import files, inside

#: rows at the top of a sheet searched for the header row (titles, the decree's number, blank rows)
HEADER_ROWS = 20
#: findings reported at most (a sheet of the wrong kind would otherwise print one per row)
MAX_FINDINGS = 200
_LEVEL_WORDS = {"urusan", "bidang urusan", "bidang", "program", "kegiatan", "giat", "sub kegiatan", "sub giat",
                "subkegiatan", "sub_kegiatan"}
_SPACE = re.compile(r"\s+")
_WORDS = re.compile(r"[^0-9a-z]+")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[ >/]")
_KODE_LINE = re.compile(r"""\bkode:\s*["']?(\d\.\d{2}\.\d{2})""")


@dataclass(frozen=True)
class Row:
    """One code of the sheet, with the cells it was read from."""

    kode: str
    level: str
    nama: str
    kinerja: str
    indikator: str
    satuan: str
    at: Source  # the code's cell

    def fields(self) -> tuple[str, ...]:
        return (self.kode, self.level, self.nama, self.kinerja, self.indikator, self.satuan)


@dataclass
class Diff:
    """One bidang of the office's version compared with the shipped 1317."""

    bidang: str
    in_sheet: bool
    added: list[nk.Entry] = field(default_factory=list)
    dropped: list[nk.Entry] = field(default_factory=list)
    renamed: list[tuple[nk.Entry, nk.Entry]] = field(default_factory=list)  # (1317, office)


@dataclass
class Summary:
    name: str
    source: str
    file: str  # the stored file, relative to the content folder
    rows: dict[str, Row]
    sheets: list[str]
    generic_skipped: int
    diffs: list[Diff]
    content_bidang: list[str]
    replaced: bool = False
    written: list[Path] = field(default_factory=list)

    def per_level(self) -> Counter:
        return Counter(r.level for r in self.rows.values())

    def per_bidang(self) -> Counter:
        return Counter(".".join(c.split(".")[:2]) for c in self.rows if "." in c)


# ---------------------------------------------------------------- reading cells


def _text(value) -> str:
    """A cell as text: Unicode NFC, every run of whitespace (tabs, line breaks, NBSP) one space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(value)).replace("\xa0", " ")).strip()


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _sheets_xlsx(path: Path):
    """(sheet name, row iterator of value tuples) of every worksheet, after the workbook budgets."""
    from openpyxl import load_workbook

    from renstra_gen.content.xlsxguard import check_workbook_limits

    check_workbook_limits(path)  # size, parts, cells, shared strings: before any parser sees the file
    where = Source(str(path))
    try:
        with zipfile.ZipFile(path) as z:
            cap = limits.NOMENKLATUR_ROWS + HEADER_ROWS
            for info in z.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    if _count_rows(z, info, cap) > cap:
                        raise ContentError([error(where, _too_many_rows())])
        wb = load_workbook(path, read_only=True, data_only=True)
    except ContentError:
        raise
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise ContentError([error(where, f"bukan buku kerja .xlsx yang dapat dibaca: {e}")]) from None
    return wb, [(ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets]


def _count_rows(z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """<row> elements of one worksheet, streamed; stops once past `budget`."""
    n, tail = 0, b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            n += len(_ROW_TAG.findall(data))
            if n > budget:
                return n
            tail = data[-8:]
            n -= len(_ROW_TAG.findall(tail))
    return n


def _too_many_rows() -> str:
    return (f"lembar berisi lebih dari {limits.count(limits.NOMENKLATUR_ROWS)} baris (batas impor nomenklatur; "
            f"nomenklatur kabupaten/kota berisi sekitar 8.300 kode)")


def _rows_csv(path: Path):
    where = Source(str(path))
    try:
        if path.stat().st_size > limits.XLSX_BYTES:
            raise ContentError([error(where, f"berkas terlalu besar (lebih dari {limits.size(limits.XLSX_BYTES)})")])
        raw = path.read_bytes()
    except OSError as e:
        raise ContentError([error(where, f"tidak dapat dibaca ({e.strerror or e})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows():
        n = 0
        try:
            for record in csv.reader(io.StringIO(text, newline=""), dialect):
                n += 1
                if n > limits.NOMENKLATUR_ROWS + HEADER_ROWS:
                    raise ContentError([error(where, _too_many_rows())])
                yield tuple(record)
        except csv.Error as e:
            raise ContentError([error(Source(f"{path.name}!baris {n + 1}"), f"CSV tidak dapat dibaca ({e})")]) from None

    return [(path.name, rows())]


# ---------------------------------------------------------------- the header row


def role(header: str) -> str | None:
    """What a header cell names: kode, nama, kinerja, indikator, satuan, or None (a column not read)."""
    words = _WORDS.sub(" ", _text(header).casefold()).split()
    if not words:
        return None
    if "indikator" in words:
        return "indikator"
    if "satuan" in words:
        return "satuan"
    if "kinerja" in words:
        return "kinerja"
    if "kode" in words or words[0] in ("kd", "kode_rekening", "koderekening", "kodefikasi"):
        return "kode"
    if {"nama", "uraian", "nomenklatur"} & set(words) or " ".join(words) in _LEVEL_WORDS:
        return "nama"
    return None


@dataclass
class Layout:
    header_row: int  # 1-based
    pairs: list[tuple[list[int], int | None]]  # (code columns, name column) per level, in order
    names: list[int]  # every name column (one-code layout: the rightmost non-empty is the name)
    extra: dict[str, int]  # kinerja, indikator, satuan -> column


def find_layout(rows: list[tuple]) -> Layout | None:
    """The header row among the first rows (one with a code and a name column) and its columns."""
    for n, values in enumerate(rows[:HEADER_ROWS], 1):
        roles = [role(v) if isinstance(v, str) else None for v in values]
        if "kode" not in roles or "nama" not in roles:
            continue
        kode = [i for i, r in enumerate(roles) if r == "kode"]
        # a merged KODE header: the empty header cells right of it are parts of the code
        for i in list(kode):
            j = i + 1
            while j < len(values) and _text(values[j]) == "" and j not in kode:
                kode.append(j)
                j += 1
        kode.sort()
        names = [i for i, r in enumerate(roles) if r == "nama"]
        extra = {}
        for i, r in enumerate(roles):
            if r in ("kinerja", "indikator", "satuan") and r not in extra:
                extra[r] = i
        labelled = [i for i, r in enumerate(roles) if r == "kode"]
        if len(labelled) >= 2 and len(names) >= 2:  # SIPD: a code and a name column per level
            pairs: list[tuple[list[int], int | None]] = []
            last = -1
            for name_col in names:
                before = [k for k in labelled if last < k < name_col]
                if before:
                    pairs.append(([before[-1]], name_col))
                    last = name_col
            if len(pairs) >= 2:
                return Layout(n, pairs, names, extra)
        return Layout(n, [(kode, None)], names, extra)
    return None


# ---------------------------------------------------------------- rows


def parse(path: Path) -> tuple[dict[str, Row], list[str], int]:
    """Every code of a sheet, validated: (code -> row, the sheets read, generic X.XX rows skipped);
    ContentError with every finding (at Sheet!Cell) when any row is wrong."""
    path = Path(path)
    suffix = path.suffix.lower()
    wb = None
    if suffix in (".xlsx", ".xlsm"):
        wb, sheets = _sheets_xlsx(path)
    elif suffix in (".csv", ".txt"):
        sheets = _rows_csv(path)
    else:
        raise ContentError([error(Source(str(path)), f"berkas '{path.name}' bukan .xlsx atau .csv; simpan lembar "
                                                     f"nomenklatur sebagai buku kerja Excel (.xlsx) atau CSV")])
    findings: list[Finding] = []
    rows: dict[str, Row] = {}
    read: list[str] = []
    generic = 0
    total = 0
    try:
        for title, iterator in sheets:
            head: list[tuple] = []
            for values in iterator:
                head.append(values)
                if len(head) >= HEADER_ROWS:
                    break
            layout = find_layout(head)
            if layout is None:
                continue
            read.append(title)
            data = iter(head[layout.header_row:])
            number = layout.header_row
            for values in _chain(data, iterator):
                number += 1
                total += 1
                if total > limits.NOMENKLATUR_ROWS:
                    raise ContentError([error(Source(str(path)), _too_many_rows())])
                generic += _read_row(title, number, values, layout, rows, findings)
                if len(findings) >= MAX_FINDINGS:
                    break
            if len(findings) >= MAX_FINDINGS:
                break
    finally:
        if wb is not None:
            wb.close()
    if not read:
        raise ContentError([error(Source(str(path)), f"baris judul kolom tidak ditemukan dalam {HEADER_ROWS} baris "
                                                     f"pertama lembar mana pun: perlu kolom kode (kode, kode rekening) "
                                                     f"dan kolom nama (nama, uraian, nomenklatur)")])
    if len(findings) < MAX_FINDINGS:
        findings += _parents(rows)
    findings.sort(key=lambda f: _sort_cell(f.source.file))  # in the order of the sheet, cell by cell
    if not rows and not findings:
        findings.append(error(Source(str(path)), "lembar tidak berisi satu kode pun di bawah baris judul kolomnya"))
    if findings:
        if len(findings) >= MAX_FINDINGS:
            findings = findings[:MAX_FINDINGS]
            findings.append(error(Source(str(path)), f"lebih dari {MAX_FINDINGS} galat; yang lain tidak ditampilkan"))
        raise ContentError(findings)
    return rows, read, generic


def _chain(first, rest):
    yield from first
    yield from rest


def _cell(values: tuple, i: int | None):
    return values[i] if i is not None and i < len(values) else None


def _read_row(title: str, number: int, values: tuple, layout: Layout, rows: dict[str, Row],
              findings: list[Finding]) -> int:
    """Read the codes of one sheet row into `rows`; returns 1 for a generic X.XX row (skipped)."""
    def at(i: int) -> Source:
        return Source(f"{title}!{_col(i)}{number}")

    extra = {k: _text(_cell(values, i)) for k, i in layout.extra.items()}
    found: list[tuple[str, str, int, int | None]] = []  # (code, name, code column, name column)
    numeric = False  # a code cell Excel holds as a number (02 became 2)
    if len(layout.pairs) == 1:
        cols = layout.pairs[0][0]
        parts = [(i, _cell(values, i)) for i in cols]
        bad = [(i, v) for i, v in parts if isinstance(v, float) and not v.is_integer()]
        if bad:
            i, v = bad[0]
            findings.append(error(at(i), f"kode tertulis sebagai angka ({v!r}): Excel membuang nol di belakang "
                                         f"(1.10 menjadi 1.1); jadikan kolom kode Teks lalu tulis ulang kodenya"))
            return 0
        code = ".".join(t for t in (_text(v) for _, v in parts) if t)
        numeric = any(isinstance(v, (int, float)) and not isinstance(v, bool) for _, v in parts)
        names = [(i, _text(_cell(values, i))) for i in layout.names]
        filled = [(i, t) for i, t in names if t]
        name_col, name = filled[-1] if filled else (layout.names[0], "")
        code_col = next((i for i, v in parts if _text(v)), cols[0])
        if code or name:
            found.append((code, name, code_col, name_col))
    else:
        previous = ""
        for cols, name_col in layout.pairs:
            raw = _cell(values, cols[0])
            if isinstance(raw, float) and not raw.is_integer():
                findings.append(error(at(cols[0]), f"kode tertulis sebagai angka ({raw!r}): Excel membuang nol "
                                                   f"di belakang (1.10 menjadi 1.1); jadikan kolom kode Teks lalu "
                                                   f"tulis ulang kodenya"))
                return 0
            code, name = _text(raw).replace(" ", "").rstrip("."), _text(_cell(values, name_col))
            numeric = numeric or (isinstance(raw, (int, float)) and not isinstance(raw, bool))
            if code and previous and not code.startswith(previous + ".") and nk.level_of(code) != _below(previous):
                joined = f"{previous}.{code}"  # SIPD may write only the code's own part (02, 2.01, 0001)
                if nk.level_of(joined) == _below(previous):
                    code = joined
            if code or name:
                found.append((code, name, cols[0], name_col))
            previous = code or previous
    generic = 0
    for k, (code, name, code_col, name_col) in enumerate(found):
        code = code.replace(" ", "").rstrip(".")
        last = k == len(found) - 1
        if code.upper().startswith("X."):
            generic = 1  # the decree's generic Penunjang rows (X.XX.01...): each bidang's comes from 1317
            continue
        if not code:
            findings.append(error(at(name_col), f"'{_short(name)}' tanpa kode: tulis kodenya, atau hapus baris ini "
                                                f"bila bukan baris nomenklatur"))
            continue
        level = nk.level_of(code)
        if level is None or (level == "sub_kegiatan" and len(code.rsplit(".", 1)[1]) != 4):
            findings.append(error(at(code_col), f"kode '{_short(code)}' tidak berbentuk kode nomenklatur (urusan 1, "
                                                f"bidang urusan 1.02, program 1.02.02, kegiatan 1.02.02.2.01, "
                                                f"sub kegiatan 1.02.02.2.01.0001)"
                                                + ("; sel kode berisi angka: jadikan kolom kode Teks agar nol di "
                                                   "depan (02) tidak hilang" if numeric else "")))
            continue
        if not name:
            findings.append(error(at(name_col if name_col is not None else code_col),
                                  f"{nk.LEVEL_LABEL[level]} {code} tanpa nama"))
            continue
        if len(name) > limits.TEXT_CHARS:
            findings.append(error(at(name_col), f"nama lebih dari {limits.count(limits.TEXT_CHARS)} karakter"))
            continue
        meta = extra if (last and level == "sub_kegiatan") else {}
        row = Row(code, level, name, meta.get("kinerja", ""), meta.get("indikator", ""), meta.get("satuan", ""),
                  at(code_col))
        seen = rows.get(code)
        if seen is None:
            rows[code] = row
        elif nk.normalise_name(seen.nama) != nk.normalise_name(name):
            findings.append(error(row.at, f"kode {code} tertulis dua kali dengan nama berbeda: '{_short(seen.nama)}' "
                                          f"({seen.at}) dan '{_short(name)}'"))
        elif not seen.kinerja and (row.kinerja or row.indikator or row.satuan):
            rows[code] = Row(*seen.fields()[:3], row.kinerja, row.indikator, row.satuan, seen.at)
    return generic


def _below(code: str) -> str | None:
    level = nk.level_of(code)
    return nk.LEVELS[nk.LEVELS.index(level) + 1] if level and level != "sub_kegiatan" else None


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _parents(rows: dict[str, Row]) -> list[Finding]:
    """A code whose parent is not in the sheet (an urusan or bidang urusan may come from 1317)."""
    return kantor.missing_parents(rows, lambda code: rows[code].at)


def _sort_cell(ref: str) -> tuple:
    sheet, _, cell = ref.rpartition("!")
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    return (sheet, int(m.group(2)), len(m.group(1)), m.group(1)) if m else (sheet, 0, 0, cell)


# ---------------------------------------------------------------- storing and comparing


def content_bidang(content_dir: Path) -> list[str]:
    """The bidang urusan of the codes written in the content's tables (without loading the content:
    its renstra.yaml may already name the version being imported)."""
    refused: list = []
    found = set()
    from renstra_gen.content.yamlio import read_text

    for rel, _ in files(content_dir, "tabel", "*.yaml", refused):
        try:
            text = read_text(inside(content_dir, rel), rel)
        except ContentError:
            continue
        for m in _KODE_LINE.finditer(text):
            found.add(m.group(1).rsplit(".", 1)[0])
    return sorted(found, key=nk.sort_key)


def compare(office: nk.Nomenklatur, bidang: str, in_sheet: bool) -> Diff:
    shipped = nk.load(nk.CURRENT)
    diff = Diff(bidang, in_sheet)
    prefix = bidang + "."
    mine = [c for c in office.entries if c.startswith(prefix)]
    theirs = [c for c in shipped.entries if c.startswith(prefix)]
    for c in mine:
        e = office.get(c)
        old = shipped.get(c)
        if old is None:
            diff.added.append(e)
        elif old.kunci != e.kunci:
            diff.renamed.append((old, e))
    diff.dropped = [shipped.get(c) for c in theirs if c not in office]
    return diff


def stored_bytes(name: str, source: str, rows: dict[str, Row]) -> bytes:
    """The stored file: gzip with no time and no name in its header, rows in code order."""
    lines = [f"{kantor.COMMENT}{name} (dari {source}; renstra nomenklatur impor)", kantor.HEADER]
    lines += ["\t".join(rows[c].fields()) for c in sorted(rows, key=nk.sort_key)]
    return _gzip(("\n".join(lines) + "\n").encode("utf-8"))


def _gzip(data: bytes) -> bytes:
    """gzip (RFC 1952) the same bytes on every machine: mtime 0, no file name, OS 'unknown'."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    return (b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff" + body
            + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF))


def impor(sheet: Path, content_dir: Path, name: str | None = None, write: bool = True) -> Summary:
    """Read, validate, compare and (unless write=False) store an office's nomenclature sheet."""
    sheet, content_dir = Path(sheet), Path(content_dir)
    if not content_dir.is_dir():
        raise ContentError([error(Source(str(content_dir)), "folder konten tidak ditemukan")])
    if name is None:
        name = kantor.file_stem(re.sub(r"\.(xlsx|xlsm|csv|txt)$", "", sheet.name, flags=re.I))[:60]
    name = name.strip()
    problem = kantor.valid_name(name)
    if problem:
        raise ContentError([error(Source("--nama"), problem)])
    rows, sheets, generic = parse(sheet)
    rel = kantor.relative_file(name)
    office = kantor.merged({c: r.fields() for c, r in rows.items()}, name)
    used = content_bidang(content_dir)
    in_sheet = {".".join(c.split(".")[:2]) for c in rows if c.count(".") >= 1}
    diffs = [compare(office, b, b in in_sheet) for b in (used or sorted(in_sheet, key=nk.sort_key))]
    summary = Summary(name, sheet.name, rel, rows, sheets, generic, diffs, used)
    if write:
        from renstra_gen.system.atomic import write_atomically

        folder = inside(content_dir, kantor.FOLDER)  # a folder that is a link out of the content is refused
        if folder.exists() and not folder.is_dir():
            raise ContentError([error(Source(kantor.FOLDER), f"'{kantor.FOLDER}' di folder konten adalah berkas, "
                                                             f"bukan folder; pindahkan atau ganti namanya")])
        folder.mkdir(exist_ok=True)
        target = inside(content_dir, rel)
        summary.replaced = target.exists()
        summary.written = write_atomically({content_dir / rel: stored_bytes(name, sheet.name, rows)})
    return summary


def summary_lines(s: Summary) -> list[str]:
    """The import's report, in the planner's words."""
    levels = s.per_level()
    out = [f"Nomenklatur kantor '{s.name}' dari {s.source}: {limits.count(len(s.rows))} kode "
           f"(lembar {', '.join(s.sheets)}).",
           "  per tingkat: " + ", ".join(f"{nk.LEVEL_LABEL[lv]} {limits.count(levels[lv])}" for lv in nk.LEVELS),
           "  per bidang: " + ", ".join(f"{b} {limits.count(n)}" for b, n in
                                        sorted(s.per_bidang().items(), key=lambda kv: nk.sort_key(kv[0])))]
    if s.generic_skipped:
        out.append(f"  {s.generic_skipped} baris kode umum X.XX dilewati: program Penunjang tiap bidang diambil "
                   f"dari 1317 bila lembar tidak memuatnya")
    what = "bidang yang dipakai konten" if s.content_bidang else "bidang di lembar (konten belum memakai kode)"
    out.append(f"Dibandingkan dengan nomenklatur 1317 (Kepmendagri 900.1.15.5-1317/2023), {what}:")
    for d in s.diffs:
        if not d.in_sheet:
            out.append(f"  {d.bidang}: tidak ada di lembar; kodenya tetap menurut 1317")
            continue
        out.append(f"  {d.bidang}: {len(d.added)} ditambah, {len(d.dropped)} dihapus, {len(d.renamed)} berganti nama")
        out += [f"    + {e.kode} {e.nama}" for e in d.added]
        out += [f"    - {e.kode} {e.nama}" for e in d.dropped]
        out += [f"    ~ {new.kode} '{old.nama}' → '{new.nama}'" for old, new in d.renamed]
    return out
