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
import json
import zlib
from decimal import Decimal
from pathlib import Path

from renstra_gen.grid import START, Cell, placements

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


def written(sheet, cell: Cell, header: bool) -> tuple[str, object]:
    """(kind, value) of a cell as `render.xlsx` writes it and openpyxl reads it back.

    kind: "f" formula (value "=..."), "n" number (value as decimal text), "t" text, "e" empty."""
    if cell.formula is not None:
        return "f", "=" + sheet._formula(cell.formula)
    if cell.value is not None and not header:
        from renstra_gen.render.xlsx import _excel_number

        return "n", _excel_number(cell.value)
    if cell.math:
        from renstra_gen.render.math import plain

        return "t", plain(cell.math)
    if header or cell.text not in ("", "-"):
        return "t", cell.text
    return "e", None


def _origin(cell: Cell):
    o = cell.origin
    return None if o is None else [o.file, list(o.path), o.kind, o.row]


def cells(sheet) -> list[list]:
    """[ref, kind, value, origin] of every cell a sheet holds or could be typed into, in order."""
    from renstra_gen.render.xlsx import _ref

    g = sheet.grid
    out: list[list] = [["A1", "t", g.title, None]]
    for i, line in enumerate(g.preamble):
        out.append([_ref(3 + i, 0), "t", line, None])
    rows = g.header + g.body
    header_start = sheet.first_body_row - len(g.header)
    for r, slots in enumerate(placements(rows, len(g.columns))):
        header = r < len(g.header)
        for col, cell, kind in slots:
            if kind != START:
                continue
            what, value = written(sheet, cell, header)
            if what != "e" or cell.origin is not None:
                out.append([_ref(header_start + r, col), what, value, _origin(cell)])
    if g.source:
        out.append([_ref(header_start + len(rows) + 1, 0), "t", f"Sumber: {g.source}", None])
    return out


def add_record(wb, sheets, meta: dict) -> None:
    """The hidden record sheet: header JSON in A1, the compressed cell list from A2."""
    from renstra_gen.render.xlsx import INDEX_SHEET

    record = {s.ws.title: cells(s) for s in sheets}
    index = [[c.coordinate, c.value] for row in wb[INDEX_SHEET].iter_rows() for c in row]
    payload = json.dumps({"lembar": record, "indeks": index}, ensure_ascii=False, separators=(",", ":"),
                         default=_json).encode("utf-8")
    blob = base64.b64encode(zlib.compress(payload, 6)).decode("ascii")
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
