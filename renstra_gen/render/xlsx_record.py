"""The hidden record in a workbook of what it was built from: each cell as written, and its content origin.

`renstra import-xlsx` compares every cell of an edited workbook with this record (what the planner
changed), with the current content (what changed there since) and writes back only cells that show
one content value (`grid.Origin`); every other edited cell is reported. The record is a hidden sheet:
A1 holds a small JSON header (content fingerprint, kind of workbook, checksum of the rest), A2...
the compressed cell list in chunks that fit a cell.

A workbook comes back from whoever edited it, so the record is authenticated: the header carries
an HMAC-SHA256, under the content set's own key (`.renstra-kunci` in the content folder, made by
the first build), over the header and the compressed payload, and the id of that key. Whoever holds
the content folder can import (a colleague, the same office on another machine); a workbook whose
record was changed, or that was built from another content set, is refused before its payload is
even decompressed (see docs/workbook-record.md for the choice and its limits). The payload is then
decompressed with a size cap and its shape validated, so a damaged record is a finding naming
`renstra-asal!A2`, never a traceback.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import zlib
from decimal import Decimal
from pathlib import Path

from renstra_gen.grid import Cell
from renstra_gen.narrative.document import plain_formula
from renstra_gen.render.xlsx_cells import excel_number

RECORD_SHEET = "renstra-asal"
CHUNK = 30000  # characters per cell (Excel holds at most 32,767)
VERSION = 2  # 1: a plain SHA-256 anyone could recompute (refused: build again)
KEY_FILE = ".renstra-kunci"  # the content set's record key (hex), beside renstra.yaml
#: The largest record payload decompressed: about 100 bytes per recorded cell, for the most cells a
#: workbook may hold (limits.XLSX_CELLS); a payload that inflates beyond is refused, not read.
PAYLOAD_BYTES = 256 * 1024 * 1024
HEADER_CHARS = 4096


def content_key(root: Path, create: bool = False) -> bytes | None:
    """The content set's record key; made (once, race-free) when `create` and missing; None if absent.

    ValueError when the key file is there but is not a key this tool made."""
    path = Path(root) / KEY_FILE
    try:
        if path.is_symlink():
            raise ValueError(f"{KEY_FILE} berupa tautan simbolik")
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            return None
        return _make_key(path)
    except (OSError, UnicodeError) as e:
        raise ValueError(f"{KEY_FILE} tidak dapat dibaca ({e})") from None
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ValueError(f"{KEY_FILE} bukan kunci buku kerja")
    return bytes.fromhex(text)


def _make_key(path: Path) -> bytes | None:
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key.hex() + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another run made meanwhile
        except FileExistsError:
            return content_key(path.parent)
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK):
                raise
            _write_exclusive(path, key)  # a file system without hard links (FAT, some shares)
            return content_key(path.parent)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT):
            return None  # a read-only content folder: its workbooks cannot be imported
        raise
    return key


def _write_exclusive(path: Path, key: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")


def key_id(key: bytes) -> str:
    """A public name of the key (who holds which content set), not the key."""
    return hashlib.sha256(b"renstra-kunci-id\0" + key).hexdigest()[:16]


def _mac(key: bytes, header: dict) -> str:
    """The header's HMAC; the header holds the SHA-256 of the compressed payload ("isi"), so it covers both."""
    head = json.dumps({k: v for k, v in header.items() if k != "mac"}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hmac.new(key, b"renstra-asal\0" + head.encode("utf-8"), hashlib.sha256).hexdigest()


def fingerprint(root: Path) -> str:
    """A hash of every content file (names and bytes): equal exactly when the content is unchanged."""
    h = hashlib.sha256()
    root = Path(root)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # temporaries and the write journal
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def written(cell: Cell, header: bool, formula: str | None = None) -> tuple[str, object]:
    """(kind, value) of a cell as `render.xlsx` writes it and openpyxl reads it back.

    kind: "f" formula (value "=..."), "n" number (value as written), "t" text, "e" empty."""
    if cell.formula is not None:
        return "f", f"={formula}"
    if cell.value is not None and not header:
        return "n", excel_number(cell.value)
    if cell.math:
        return "t", plain_formula(cell.math)
    if cell.text:  # "-" too: the document's empty number, written as the document prints it
        return "t", cell.text
    return "e", None


class RecordStream:
    """The record's JSON payload, compressed and hashed while the sheets are written.

    The payload is {"lembar": {sheet: {"sel": [[ref, kind, value, origin]...], "baris": [...]}},
    "indeks": [[ref, value]...]}. Cells go in as they are written, in batches, so that the list of a
    province-size workbook (hundreds of thousands of cells) never stands in memory whole."""

    BATCH = 4096  # cells per json.dumps call: its per-call cost stays small, its text too

    def __init__(self):
        self._zip = zlib.compressobj(1)
        self._sha = hashlib.sha256()
        self._parts: list[bytes] = []
        self._pending: list = []
        self._sheets = 0
        self._cells = 0  # cells of the open sheet already written

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._sha.update(data)
        self._parts.append(self._zip.compress(data))

    def begin_sheet(self, title: str, cells: list) -> None:
        self._write(('{"lembar":{' if not self._sheets else ",") + _dumps(title) + ':{"sel":[')
        self._sheets += 1
        self._cells = 0
        self._pending = [_dumps(c) for c in cells]

    def cells_json(self, entries: list[str]) -> None:
        """Cells [ref, kind, value, origin] already written as JSON, as `_dumps` writes each (the
        workbook writer makes them as it writes the cells)."""
        self._pending += entries
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write(("," if self._cells else "") + ",".join(self._pending))
            self._cells += len(self._pending)
            self._pending = []

    def end_sheet(self, cells: list, rows: list) -> None:
        self._pending += [_dumps(c) for c in cells]
        self._flush()
        self._write('],"baris":' + _dumps(rows) + "}")

    def finish(self, index: list) -> tuple[str, str]:
        """(base64 of the compressed payload, sha256 of the payload) once the index is added."""
        self._write(('{"lembar":{' if not self._sheets else "") + '},"indeks":' + _dumps(index) + "}")
        self._parts.append(self._zip.flush())
        return base64.b64encode(b"".join(self._parts)).decode("ascii"), self._sha.hexdigest()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json)


def origins(sheet_record: dict):
    """(ref, kind, value, origin) of a recorded sheet, origin as [file, path, kind, row] or None."""
    rows = sheet_record["baris"]
    for ref, kind, value, o in sheet_record["sel"]:
        if o is None:
            yield ref, kind, value, None
        else:
            file, row_path, row = rows[o[0]]
            yield ref, kind, value, [file, list(row_path) + list(o[1]), o[2], row]


def record_cells(stream: RecordStream, index: list, meta: dict) -> list[str]:
    """The hidden record sheet's cells, A1 down: the header JSON, then the compressed cell list in
    chunks of CHUNK characters. `index`: the index sheet's cells as [[ref, value]...].

    meta["kunci"]: the content set's key (bytes, not written) that authenticates the record, or None."""
    blob, digest = stream.finish(index)
    meta = dict(meta)
    key = meta.pop("kunci", None)
    header = dict(meta, versi=VERSION, sha256=digest)
    if key is not None:
        header["kunci"] = key_id(key)
        header["isi"] = hashlib.sha256(blob.encode("ascii")).hexdigest()
        header["mac"] = _mac(key, header)
    return [json.dumps(header, sort_keys=True)] + [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)]


def _json(v):
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v).__name__)


class RecordError(ValueError):
    """The record cannot be trusted or read: `where` is the record cell, the message says why."""

    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where


def read_record(wb, key: bytes | None) -> tuple[dict, dict]:
    """(header, {"lembar": {sheet: cells}, "indeks": [[ref, value]...]}) of a workbook, authenticated.

    RecordError naming the cell when the record is missing, was changed, was built from another
    content set (another key), inflates beyond PAYLOAD_BYTES or has a shape this tool never writes."""
    a1, a2 = f"{RECORD_SHEET}!A1", f"{RECORD_SHEET}!A2"
    if RECORD_SHEET not in wb.sheetnames:
        raise RecordError(RECORD_SHEET, f"lembar tersembunyi '{RECORD_SHEET}' tidak ada")
    ws = wb[RECORD_SHEET]
    text = ws["A1"].value
    try:
        if not isinstance(text, str) or len(text) > HEADER_CHARS:
            raise ValueError
        header = json.loads(text)
        if not isinstance(header, dict):
            raise ValueError
    except ValueError:
        raise RecordError(a1, "catatan buku kerja diubah") from None
    if header.get("versi") == 1:
        raise RecordError(a1, "buku kerja disusun oleh versi lama renstra-gen tanpa catatan yang diautentikasi")
    if header.get("versi") != VERSION or not all(isinstance(header.get(k), str) for k in ("sha256", "konten", "jenis")) \
            or header.get("jenis") not in ("renstra", "renja") \
            or (header["jenis"] == "renja" and type(header.get("tahun")) is not int):
        raise RecordError(a1, "catatan buku kerja diubah")
    if key is None:
        raise RecordError(a1, f"folder konten ini belum memiliki kunci buku kerja ({KEY_FILE}), jadi asal buku "
                              "kerja tidak dapat dipastikan")
    if not all(isinstance(header.get(k), str) for k in ("mac", "kunci", "isi")):
        raise RecordError(a1, "catatan buku kerja tidak bertanda autentikasi")
    if header["kunci"] != key_id(key):
        raise RecordError(a1, f"buku kerja ini disusun dari konten lain (kunci {header['kunci'][:16]!r}, "
                              f"konten ini {key_id(key)!r}); hanya buku kerja dari folder konten ini yang dapat diimpor")
    if not hmac.compare_digest(header["mac"], _mac(key, header)):
        raise RecordError(a1, "catatan buku kerja diubah sesudah disusun (autentikasi tidak cocok)")
    parts = []
    row = 2
    total = 0
    limit = PAYLOAD_BYTES * 2  # base64 of a compressed payload is never larger than its JSON twice over
    while isinstance(ws.cell(row=row, column=1).value, str):
        part = ws.cell(row=row, column=1).value
        total += len(part)
        if total > limit:
            raise RecordError(a2, "catatan buku kerja terlalu besar")
        parts.append(part)
        row += 1
    blob = "".join(parts)
    if not blob.isascii() or not hmac.compare_digest(header["isi"], hashlib.sha256(blob.encode("ascii")).hexdigest()):
        raise RecordError(a2, "catatan buku kerja diubah sesudah disusun (autentikasi tidak cocok)")
    try:
        payload = _inflate(base64.b64decode(blob, validate=True), _payload_cap(wb))
        if hashlib.sha256(payload).hexdigest() != header["sha256"]:
            raise ValueError
        record = json.loads(payload)
    except (ValueError, zlib.error, RecursionError):
        raise RecordError(a2, "catatan buku kerja rusak") from None
    problem = _shape(record)
    if problem:
        raise RecordError(a2, f"catatan buku kerja tidak berbentuk seperti yang ditulis alat ini ({problem})")
    return header, record


def _payload_cap(wb) -> int:
    """The most a genuine record of this workbook can inflate to: a few hundred bytes per cell of
    its sheets, never more than PAYLOAD_BYTES (a bomb is stopped long before memory runs out)."""
    cells = sum(ws.max_row * ws.max_column for ws in wb.worksheets if ws.title != RECORD_SHEET)
    return min(PAYLOAD_BYTES, (1 << 20) + 400 * cells)


def _inflate(data: bytes, cap: int) -> bytes:
    """zlib data decompressed, ValueError as soon as it would exceed `cap` bytes (a bomb stops early)."""
    d = zlib.decompressobj()
    out = []
    size = 0
    chunk = 1 << 20
    while data:
        piece = d.decompress(data, chunk)
        size += len(piece)
        if size > cap:
            raise ValueError("terlalu besar")
        out.append(piece)
        data = d.unconsumed_tail
    piece = d.flush()
    if size + len(piece) > cap or not d.eof:
        raise ValueError("terlalu besar atau terpotong")
    out.append(piece)
    return b"".join(out)


_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
_KINDS = ("f", "n", "t", "e")


def _shape(record) -> str | None:
    """What is wrong with a decoded payload's shape, or None (every later access is then safe)."""
    if not isinstance(record, dict) or not isinstance(record.get("lembar"), dict) \
            or not isinstance(record.get("indeks"), list):
        return "bukan {lembar, indeks}"
    for entry in record["indeks"]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and _REF.fullmatch(entry[0])
                and (entry[1] is None or type(entry[1]) in (str, int, float))):
            return "indeks"
    for sheet, body in record["lembar"].items():
        if not isinstance(body, dict) or not isinstance(body.get("sel"), list) or not isinstance(body.get("baris"), list):
            return f"lembar {sheet!r}"
        rows = body["baris"]
        for r in rows:
            if not (isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and isinstance(r[1], list)
                    and all(type(p) in (str, int) for p in r[1]) and (r[2] is None or isinstance(r[2], str))):
                return f"lembar {sheet!r}: baris asal"
        for c in body["sel"]:
            if not (isinstance(c, list) and len(c) == 4 and isinstance(c[0], str) and _REF.fullmatch(c[0])
                    and c[1] in _KINDS):
                return f"lembar {sheet!r}: sel"
            value, origin = c[2], c[3]
            if not (value is None or isinstance(value, str)):
                return f"lembar {sheet!r}!{c[0]}: nilai"
            if c[1] == "n":
                try:
                    Decimal(value)
                except (ArithmeticError, TypeError, ValueError):
                    return f"lembar {sheet!r}!{c[0]}: angka"
            if origin is not None and not (
                    isinstance(origin, list) and len(origin) == 3 and type(origin[0]) is int
                    and 0 <= origin[0] < len(rows) and isinstance(origin[1], list)
                    and all(type(p) in (str, int) for p in origin[1]) and isinstance(origin[2], str)):
                return f"lembar {sheet!r}!{c[0]}: asal"
    return None
