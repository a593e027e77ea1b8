"""The .docx as a print-ready PDF through LibreOffice headless, driven over UNO.

A LibreOffice of the tool's own, kept warm between conversions (office.py: a private profile, no
clash with an office the user has open), indexes and fields updated before export, PDF/A-2b with
tagged structure, and a timeout that ends a hung converter. Returns bytes; the build writes them
atomically like every output.
"""

from __future__ import annotations

import shutil  # noqa: F401  (tests patch shutil.which through this module)

from renstra_gen.render.office import find_soffice, shared_office


def docx_to_pdf(docx: bytes, timeout: float = 600, lists: bool = False, incremental: bool = False,
                info: dict | None = None) -> tuple[bytes, list[list[str]] | None]:
    """Convert .docx bytes; returns (pdf bytes, the updated lists if asked: for each Daftar Isi/Tabel/
    Gambar/Lampiran in document order, the text of each entry as LibreOffice filled it, "title\tpage").

    The user's warm office (office.py) converts; one that died or failed is replaced and the
    conversion tried once more before it is reported. `incremental`, `info`: Office.convert's (a PDF
    made incrementally must be proved, and made again in full if the proof fails)."""
    find_soffice()  # the install hint, before any office is used (uno's is checked when one starts)
    return shared_office().convert(docx, lists=lists, timeout=timeout, incremental=incremental, info=info)
