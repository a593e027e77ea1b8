"""Reading a PDF back: the page elements of Poppler's `pdftotext -bbox-layout` (words and lines with boxes)."""

from __future__ import annotations

import shutil
import subprocess

from renstra_gen.errors import ConversionError

INSTALL_HINT = "apt-get install poppler-utils"


def bbox_pages(pdf: bytes, first: int | None = None, last: int | None = None, *, failed: str, hint: str = "",
               timeout: float = 300) -> list:
    """The <page> elements of pages `first`..`last` (1-based; default all) of the PDF.

    `failed` opens the message when Poppler cannot read the PDF; `hint` ends the one for a missing pdftotext."""
    from lxml import etree

    exe = shutil.which("pdftotext")
    if exe is None:
        raise ConversionError(f"pdftotext (Poppler) tidak terpasang; pasang dengan: {INSTALL_HINT}{hint}")
    span = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    try:
        done = subprocess.run([exe, "-bbox-layout", "-enc", "UTF-8", *span, "-", "-"], input=pdf,
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise ConversionError(f"pdftotext tidak selesai dalam {timeout:.0f} detik") from e
    if done.returncode != 0:
        why = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [f"kode keluar {done.returncode}"])[-1]
        raise ConversionError(f"{failed}: {why}")
    parser = etree.XMLParser(huge_tree=True, recover=True, resolve_entities=False, no_network=True)
    return list(etree.fromstring(done.stdout, parser).iter("{*}page"))
