"""The .docx as a print-ready PDF through LibreOffice headless, driven over UNO.

A LibreOffice of the tool's own, kept warm between conversions (office.py: a private profile, no
clash with an office the user has open), indexes and fields updated before export, PDF/A-2b with
tagged structure, and a timeout that ends a hung converter. Returns bytes; the build writes them
atomically like every output.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from renstra_gen.errors import ConversionError

INSTALL_HINT = "apt-get install libreoffice-writer-nogui libreoffice-math-nogui python3-uno"


def find_soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConversionError(f"LibreOffice tidak terpasang; pasang dengan: {INSTALL_HINT}")
    program = Path(os.path.realpath(exe)).parent
    if not any(program.glob("libsmlo.so*")) and not any(program.glob("*sm*.dll")):
        raise ConversionError("modul rumus LibreOffice (Math) tidak terpasang, persamaan akan hilang dari PDF; "
                              "pasang dengan: apt-get install libreoffice-math-nogui")
    return exe


@functools.lru_cache(maxsize=None)
def _has_uno(python: str) -> bool:
    return subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0


def find_uno_python() -> str:
    for cand in (os.environ.get("RENSTRA_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if cand and Path(cand).exists():
            if _has_uno(cand):
                return cand
    raise ConversionError(f"modul Python 'uno' dari LibreOffice tidak ditemukan; pasang dengan: {INSTALL_HINT}")


def docx_to_pdf(docx: bytes, timeout: float = 600, lists: bool = False) -> tuple[bytes, list[list[str]] | None]:
    """Convert .docx bytes; returns (pdf bytes, the updated lists if asked: for each Daftar Isi/Tabel/
    Gambar/Lampiran in document order, the text of each entry as LibreOffice filled it, "title\tpage").

    The user's warm office (office.py) converts; one that died or failed is replaced and the
    conversion tried once more before it is reported."""
    from renstra_gen.render.office import shared_office

    find_soffice()  # the install hint, before any office is used (uno's is checked when one starts)
    return shared_office().convert(docx, lists=lists, timeout=timeout)
