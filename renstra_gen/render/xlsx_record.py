"""The hidden record in a workbook of what it was built from: each cell as written, and its content origin.

`renstra import-xlsx` compares every cell of an edited workbook with this record (what the planner
changed), with the current content (what changed there since) and writes back only cells that show
one content value (`grid.Origin`); every other edited cell is reported. The record is a hidden sheet:
A1 holds a small JSON header (content fingerprint, kind of workbook, checksum of the rest), A2...
the compressed cell list in chunks that fit a cell.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import zlib
from decimal import Decimal
from pathlib import Path

from renstra_gen.grid import Cell
from renstra_gen.narrative.document import plain_formula
from renstra_gen.render.xlsx_cells import INDEX_SHEET, cell_ref, excel_number

RECORD_SHEET = "renstra-asal"
CHUNK = 30000  # characters per cell (Excel holds at most 32,767)
VERSION = 1


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


_FORMULA = re.compile(r"<f(?: [^>]*)?>(.*?)</f>")


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
        self._pending = list(cells)

    def cell(self, entry) -> None:
        self._pending.append(entry)
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write(("," if self._cells else "") + _dumps(self._pending)[1:-1])
            self._cells += len(self._pending)
            self._pending = []

    def end_sheet(self, cells: list, rows: list) -> None:
        self._pending += cells
        self._flush()
        self._write('],"baris":' + _dumps(rows) + "}")

    def finish(self, index: list) -> tuple[str, str]:
        """(base64 of the compressed payload, sha256 of the payload) once the index is added."""
        self._write(('{"lembar":{' if not self._sheets else "") + '},"indeks":' + _dumps(index) + "}")
        self._parts.append(self._zip.flush())
        return base64.b64encode(b"".join(self._parts)).decode("ascii"), self._sha.hexdigest()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json)


def recording(sheet_class, stream: RecordStream):
    """A sheet writer that also records each cell it writes into `stream`: [ref, kind, value, origin]."""

    class Recording(sheet_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.rows_of: dict[tuple, int] = {}  # (file, row path, row) -> index in self.origins
            self.origins: list[tuple] = []

        def fill(self) -> None:
            g = self.grid
            stream.begin_sheet(self.ws.title, [("A1", "t", g.title, None)]
                               + [(cell_ref(3 + i, 0), "t", line, None) for i, line in enumerate(g.preamble)])
            super().fill()
            source = [(cell_ref(self.last_row, 0), "t", f"Sumber: {g.source}", None)] if g.source else []
            stream.end_sheet(source, self.origins)

        def _cell(self, excel_row: int, col: int, cell: Cell, header: bool, style: int) -> str:
            xml = super()._cell(excel_row, col, cell, header, style)
            formula = None
            if cell.formula is not None:
                formula = _FORMULA.search(xml).group(1)
                if "&" in formula:
                    formula = html.unescape(formula)
            kind, value = written(cell, header, formula)
            if kind != "e" or cell.origin is not None:
                stream.cell((cell_ref(excel_row, col), kind, value, self._origin(cell.origin)))
            return xml

        def _origin(self, o):
            """[row index, field path, kind]: the row's file and path are stored once per row."""
            if o is None:
                return None
            split = len(o.path) - (2 if isinstance(o.path[-1], int) else 1)
            key = (o.file, o.path[:split], o.row)
            if key not in self.rows_of:
                self.rows_of[key] = len(self.origins)
                self.origins.append((o.file, o.path[:split], o.row))
            return (self.rows_of[key], o.path[split:], o.kind)

    return Recording


def origins(sheet_record: dict):
    """(ref, kind, value, origin) of a recorded sheet, origin as [file, path, kind, row] or None."""
    rows = sheet_record["baris"]
    for ref, kind, value, o in sheet_record["sel"]:
        if o is None:
            yield ref, kind, value, None
        else:
            file, row_path, row = rows[o[0]]
            yield ref, kind, value, [file, list(row_path) + list(o[1]), o[2], row]


def add_record(wb, stream: RecordStream, meta: dict) -> None:
    """The hidden record sheet: header JSON in A1, the compressed cell list from A2."""
    index = [[c.coordinate, c.value] for row in wb[INDEX_SHEET].iter_rows() for c in row]
    blob, digest = stream.finish(index)
    header = dict(meta, versi=VERSION, sha256=digest)
    ws = wb.create_sheet(RECORD_SHEET)
    ws["A1"] = json.dumps(header, sort_keys=True)
    for i in range(0, len(blob), CHUNK):
        ws.cell(row=2 + i // CHUNK, column=1, value=blob[i:i + CHUNK])
    ws.sheet_state = "hidden"


def _json(v):
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v).__name__)


def read_record(wb) -> tuple[dict, dict]:
    """(header, {"lembar": {sheet: cells}, "indeks": [[ref, value]...]}) of a workbook.

    ValueError naming the cell when the record is missing or was changed."""
    if RECORD_SHEET not in wb.sheetnames:
        raise ValueError(f"lembar tersembunyi '{RECORD_SHEET}' tidak ada")
    ws = wb[RECORD_SHEET]
    try:
        header = json.loads(ws["A1"].value)
        if not isinstance(header, dict) or header.get("versi") != VERSION:
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"{RECORD_SHEET}!A1 diubah") from None
    parts = []
    row = 2
    while isinstance(ws.cell(row=row, column=1).value, str):
        parts.append(ws.cell(row=row, column=1).value)
        row += 1
    try:
        payload = zlib.decompress(base64.b64decode("".join(parts), validate=True))
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            raise ValueError
        record = json.loads(payload)
    except (ValueError, zlib.error):
        raise ValueError(f"{RECORD_SHEET}!A2 diubah") from None
    return header, record
