"""OOXML packages (.docx, .xlsx) as zip files: written once, in a fixed order with fixed entry times,
so that equal content gives equal bytes.

Renderers hand over their parts uncompressed; each package is compressed exactly once, here.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from typing import Iterable

CONTENT_TYPES = "[Content_Types].xml"


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Fixed zip entry times: SOURCE_DATE_EPOCH if set, else 1980-01-01 (the zip epoch)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        t = time.gmtime(max(int(epoch), 315532800))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    return (1980, 1, 1, 0, 0, 0)


#: zlib's level for a built document (render_docx): 1 compresses a province-size document.xml
#: (109 MB, N = 20,000 sub kegiatan) in 0.23 s instead of the default level's 0.55 s, on the build's
#: critical path, for 4.2 MB instead of 3.0 MB; the default Renstra's .docx grows about 4 %
DOCUMENT_LEVEL = 1


def zip_parts(parts: Iterable[tuple[str, bytes | Iterable[bytes]]], in_order: bool = False,
              level: int | None = None) -> bytes:
    """A package of the given parts: [Content_Types].xml first, then by name, fixed entry times.

    A part may be given as an iterable of byte chunks (a document body of a hundred megabytes): it
    is compressed as the chunks come, never joined in memory; the package's bytes are the same.
    `in_order`: the parts stay in the order given ([Content_Types].xml must be first), so that a part
    made from the chunks of those before it (a workbook's shared strings) can follow them.
    `level`: zlib's compression level (default 6); the bytes stay the same for the same level."""
    parts = dict(parts)
    if in_order:
        ordered = list(parts)
        if ordered[:1] != [CONTENT_TYPES]:
            raise ValueError(f"{CONTENT_TYPES} must be the first part")
    else:
        ordered = [n for n in parts if n == CONTENT_TYPES] + sorted(n for n in parts if n != CONTENT_TYPES)
    out = io.BytesIO()
    stamp = zip_timestamp()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            if level is not None:  # a ZipInfo's own level wins over the archive's
                info._compresslevel = level  # (Python 3.13 also names it compress_level)
            info.external_attr = 0o644 << 16
            data = parts[name]
            if isinstance(data, (bytes, bytearray, memoryview)):
                dst.writestr(info, data)
            else:  # what writestr does, a chunk at a time
                with dst.open(info, "w") as part:
                    for chunk in data:
                        part.write(chunk)
    return out.getvalue()


def read_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package, uncompressed, in the package's own order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {name: src.read(name) for name in src.namelist()}


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a package written by another program (python-docx, openpyxl) the way we write ours."""
    return zip_parts(read_parts(data).items())
