"""A workbook given to import-xlsx is measured before any parser sees it: size, parts, cells."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from renstra_gen.content import limits
from renstra_gen.errors import ContentError, Source, error
from renstra_gen.system.pesan import os_reason, reason

_CELL = re.compile(rb"<(?:\w+:)?c[ >/]")
_STRING = re.compile(rb"<(?:\w+:)?si[ >/]")


def check_workbook_limits(path: Path) -> None:
    """Raise a ContentError naming the workbook when it is not an .xlsx or is larger than the budget.

    Reads the zip directory and streams each worksheet and the shared strings once, counting
    cells in bounded memory; no part is unpacked beyond the sizes the directory declares."""
    path = Path(path)
    where = Source(str(path))

    def refuse(message: str) -> None:
        raise ContentError([error(where, message)])

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        refuse(f"bukan buku kerja Excel (.xlsx): berkas '{path.suffix or path.name}' tidak dapat dibaca kembali")
    try:
        size = path.stat().st_size
    except OSError as e:
        refuse(f"tidak dapat dibaca ({os_reason(e)})")
    if size > limits.XLSX_BYTES:
        refuse(f"buku kerja terlalu besar (lebih dari {limits.size(limits.XLSX_BYTES)})")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > limits.XLSX_PARTS:
                refuse(f"buku kerja berisi terlalu banyak bagian ({limits.count(len(infos))})")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limits.XLSX_UNPACKED:
                refuse(f"buku kerja terlalu besar setelah diurai ({unpacked // (1024 * 1024)} MB; batas "
                       f"{limits.size(limits.XLSX_UNPACKED)}); bukan buku kerja yang dibuat renstra build?")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                refuse("bukan buku kerja Excel (.xlsx) yang sah (xl/workbook.xml tidak ada)")
            cells = 0
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    cells += _count(z, info, _CELL, limits.XLSX_CELLS - cells)
                    if cells > limits.XLSX_CELLS:
                        refuse(f"buku kerja berisi terlalu banyak sel (lebih dari {limits.count(limits.XLSX_CELLS)})")
                elif info.filename == "xl/sharedStrings.xml":
                    if _count(z, info, _STRING, limits.XLSX_SHARED_STRINGS) > limits.XLSX_SHARED_STRINGS:
                        refuse(f"buku kerja berisi terlalu banyak teks berbeda (lebih dari "
                               f"{limits.count(limits.XLSX_SHARED_STRINGS)})")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as e:
        refuse(f"bukan buku kerja Excel (.xlsx) yang dapat dibaca ({reason(e)})")


def _count(z: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern, budget: int) -> int:
    """Occurrences of `pattern` in one part, streamed; stops once past `budget`."""
    n = 0
    tail = b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            n += len(pattern.findall(data))
            if n > budget:
                return n
            tail = data[-8:]
            n -= len(pattern.findall(tail))  # counted again with the next chunk
    return n
