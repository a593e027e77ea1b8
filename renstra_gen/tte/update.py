"""An incremental update of a PDF/A file that keeps its metadata consistent.

pyHanko rewrites the XMP packet's pdf:Producer as its own name but appends its name to the
document information dictionary's /Producer ("LibreOffice 7.4; pyHanko 0.38.0"); PDF/A requires
the two to be equal. Setting the dictionary's /Producer to pyHanko's name first makes them equal.
The original bytes are never touched: every change is appended after them.
"""

from __future__ import annotations

import io

from renstra_gen.errors import SignatureError
from renstra_gen.system.pesan import reason


def open_update(pdf: bytes, what: str = "PDF"):
    """An IncrementalPdfFileWriter over `pdf`, or a SignatureError when it is not a readable PDF."""
    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (misc.PdfError, ValueError, KeyError, TypeError) as e:
        raise SignatureError(f"{what}: bukan berkas PDF yang dapat dibaca ({reason(e)})") from e
    info_ref = writer.prev.trailer_view.get_value_as_reference("/Info", optional=True)
    if info_ref is not None and "/Metadata" in writer.root:
        info = info_ref.get_object()
        if str(info.get("/Producer", "")) != VENDOR:
            info["/Producer"] = generic.TextStringObject(VENDOR)
            writer.mark_update(info_ref)
    return writer


def written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
