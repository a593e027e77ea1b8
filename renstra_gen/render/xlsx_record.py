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
        from renstra_gen.render.xlsx import _excel_number

        return "n", _excel_number(cell.value)
    if cell.math:
        from renstra_gen.render.math import plain

        return "t", plain(cell.math)
    if cell.text:  # "-" too: the document's empty number, written as the document prints it
        return "t", cell.text
    return "e", None


_FORMULA = re.compile(r"<f(?: [^>]*)?>(.*?)</f>")


def recording(sheet_class):
    """A sheet writer that also records each cell it writes: [ref, kind, value, origin]."""

    from renstra_gen.render.xlsx import _ref

    class Recording(sheet_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.record: list[list] = []
            self.rows_of: dict[tuple, int] = {}  # (file, row path, row) -> index in self.origins
            self.origins: list[list] = []

        def _cell(self, excel_row: int, col: int, cell: Cell, header: bool, style: int) -> str:
            xml = super()._cell(excel_row, col, cell, header, style)
            formula = None
            if cell.formula is not None:
                formula = _FORMULA.search(xml).group(1)
                if "&" in formula:
                    formula = html.unescape(formula)
            kind, value = written(cell, header, formula)
            if kind != "e" or cell.origin is not None:
                self.record.append((_ref(excel_row, col), kind, value, self._origin(cell.origin)))
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


def cells(sheet) -> dict:
    """Every cell a sheet holds or could be typed into, in order, with the origins of its rows."""
    from renstra_gen.render.xlsx import _ref

    g = sheet.grid
    out: list[list] = [["A1", "t", g.title, None]]
    out += [[_ref(3 + i, 0), "t", line, None] for i, line in enumerate(g.preamble)]
    out += sheet.record
    if g.source:
        out.append([_ref(sheet.last_row, 0), "t", f"Sumber: {g.source}", None])
    return {"sel": out, "baris": sheet.origins}


def origins(sheet_record: dict):
    """(ref, kind, value, origin) of a recorded sheet, origin as [file, path, kind, row] or None."""
    rows = sheet_record["baris"]
    for ref, kind, value, o in sheet_record["sel"]:
        if o is None:
            yield ref, kind, value, None
        else:
            file, row_path, row = rows[o[0]]
            yield ref, kind, value, [file, list(row_path) + list(o[1]), o[2], row]


def add_record(wb, sheets, meta: dict) -> None:
    """The hidden record sheet: header JSON in A1, the compressed cell list from A2."""
    from renstra_gen.render.xlsx import INDEX_SHEET

    record = {s.ws.title: cells(s) for s in sheets}
    index = [[c.coordinate, c.value] for row in wb[INDEX_SHEET].iter_rows() for c in row]
    payload = json.dumps({"lembar": record, "indeks": index}, ensure_ascii=False, separators=(",", ":"),
                         default=_json).encode("utf-8")
    blob = base64.b64encode(zlib.compress(payload, 1)).decode("ascii")
    header = dict(meta, versi=VERSION, sha256=hashlib.sha256(payload).hexdigest())
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
