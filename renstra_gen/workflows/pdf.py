"""`renstra pdf` and the PDF steps every build with --pdf takes: LibreOffice's conversion, the PDF read
back once, the print proof.

A module of its own so that `renstra pdf` of an existing .docx imports only what converting and
proving need (the content model, composing and the checks that workflows/build.py imports cost
0.16 s of CPU before LibreOffice is even asked)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from renstra_gen.errors import OutputError, PrintProofError
from renstra_gen.system.atomic import publish
from renstra_gen.system.pesan import os_reason

from renstra_gen.workflows.result import BuildResult

if TYPE_CHECKING:
    from renstra_gen.proof.prove import ProofReport


def prove_pdf(docx: bytes, pdf: bytes, target: Path, reading=None, items=None) -> ProofReport:
    """The print proof of a PDF before it is written: every paragraph and table cell of the .docx
    must be in the PDF's text, else a PrintProofError with one finding per table or section.
    `reading`, `items`: the PDF's reading (shared with the signature field placement) and the
    document's side, when already made (proof.read, proof.document_items)."""
    from renstra_gen.proof.prove import prove

    report = prove(docx, pdf, str(target), reading, items)
    if report.findings:
        raise PrintProofError(report.findings)
    return report


def read_text(pdf: bytes, proof: bool, reader=None):
    """The PDF's words with their boxes, read once for the print proof and the signature fields.
    `reader`: the reading process `converted` started ahead."""
    from renstra_gen.proof.prove import FAILED, Reading, read

    if isinstance(reader, Reading):  # read already (an incremental conversion's, proved by `converted`)
        return reader
    return read(pdf, FAILED if proof else "PDF tidak dapat dibaca untuk memasang bidang tanda tangan", reader)


def converted(docx: bytes, lists: bool = False, proof: bool = True, sign: bool = False, read: bool = False):
    """docx_to_pdf, and meanwhile (this process only waits for LibreOffice) the print proof's side
    of the .docx and, for a final PDF, the signature field's library loaded: (pdf, lists, items or
    None, reader or None). With `read`, the process that will read the PDF back is started first and
    loads while LibreOffice converts (pdftext.start_reader; hand it to read_text).

    With both `proof` and `read` the conversion may be incremental (the warm office still holds the
    previous document and only texts changed: render/office.py): its PDF is read and proved here, and
    converted again in full if the proof finds anything (the reader returned is then that reading)."""
    from concurrent.futures import ThreadPoolExecutor

    from renstra_gen.content.pdftext import discard, start_reader
    from renstra_gen.proof.prove import document_items
    from renstra_gen.render.pdf import docx_to_pdf

    reader = start_reader() if read else None  # before the thread below: it is started with preexec_fn
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            items = pool.submit(document_items, docx) if proof else None
            if sign:
                pool.submit(_load_signing)
            info: dict = {}
            pdf, filled = docx_to_pdf(docx, lists=lists, **({"incremental": True, "info": info} if proof and read
                                                           else {}))
            items = items.result() if items is not None else None
        if info.get("incremental"):
            reading = _proved_reading(docx, pdf, reader, items)
            if reading is None:  # the incremental PDF failed its proof: the whole conversion
                reader = start_reader()  # (no thread runs now: it is started with preexec_fn)
                pdf, filled = docx_to_pdf(docx, lists=lists)
            else:
                reader = reading
        return pdf, filled, items, reader
    except BaseException:
        if reader is not None and not hasattr(reader, "pages"):
            discard(reader)
        raise


def _proved_reading(docx: bytes, pdf: bytes, reader, items):
    """The reading of an incremental conversion's PDF when it passes the print proof, else None.
    The reading given back has its words whole again and carries the report, which the caller's
    proof of the same .docx then gives without comparing again (proof.prove)."""
    from renstra_gen.proof.prove import FAILED, prove, read

    reading = read(pdf, FAILED, reader)
    spare = reading.copy()
    report = prove(docx, pdf, "incremental.pdf", reading, items)
    if report.findings:
        return None
    spare.proved = (docx, report)
    return spare


def _load_signing() -> None:
    import renstra_gen.tte  # noqa: F401  (first: its filter of pyHanko's import-time warning)
    import pyhanko.pdf_utils.incremental_writer  # noqa: F401
    import pyhanko.sign.fields  # noqa: F401


def convert_pdf(docx: Path, out: Path | None = None, proof: bool = True) -> BuildResult:
    """`renstra pdf`: an existing .docx to PDF beside it (or at `out`), lists and fields updated,
    proved against the .docx before it replaces anything."""
    try:
        data = Path(docx).read_bytes()
    except OSError as e:
        raise OutputError(f"{docx}: tidak dapat dibaca ({os_reason(e)})") from e
    if not _is_docx(data):
        raise OutputError(f"{docx}: bukan dokumen Word (.docx); renstra pdf hanya mengubah .docx yang dibuat "
                          f"renstra build")
    pdf, _, items, reader = converted(data, proof=proof, read=proof)
    target = Path(out) if out else Path(docx).with_suffix(".pdf")
    report = prove_pdf(data, pdf, target, read_text(pdf, True, reader), items) if proof else None
    # a PDF beside its .docx joins that build's set (the .docx and .xlsx stay in it)
    group = Path(docx).stem if target.parent.resolve() == Path(docx).parent.resolve() else target.stem
    publish(target.parent, group, {target.name: pdf}, keep_others=True)
    return BuildResult([target], proof=report)


def _is_docx(data: bytes) -> bool:
    """A Word package: a zip with word/document.xml (an .xlsx or a renamed file is not)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False
