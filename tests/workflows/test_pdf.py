"""`renstra pdf` of an existing .docx imports only what converting and proving need (workflows/pdf.py):
LibreOffice is asked before the content model, composing and the checks would have been imported."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_renstra_pdf_does_not_import_the_build_or_the_content_model(tmp_path):
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from renstra_gen.cli import main\n"
        f"r = CliRunner().invoke(main, ['pdf', {str(tmp_path / 'tidak-ada.docx')!r}])\n"
        "print(r.exit_code, r.output.strip().splitlines()[-1])\n"
        "print(sorted(m for m in ('pydantic', 'renstra_gen.workflows.build', 'renstra_gen.compose.renstra',\n"
        "                          'renstra_gen.content.model') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    code, modules = out.stdout.strip().splitlines()[-2:]
    assert code.startswith("1 Gagal:") and "tidak dapat dibaca" in code, out.stdout + out.stderr
    assert modules == "[]"


def test_the_build_module_still_offers_the_pdf_steps():
    from renstra_gen.workflows import build, pdf

    assert build.convert_pdf is pdf.convert_pdf and build.BuildResult is pdf.BuildResult


def _blank_pdf() -> bytes:
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(200, 300)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_pdf_reader_is_started_while_libreoffice_converts_and_reads_the_pdf(monkeypatch):
    """Its Python and PDFium load while LibreOffice works, not after (workflows/pdf.converted)."""
    from renstra_gen.render import pdf as render_pdf
    from renstra_gen.workflows import pdf

    seen = {}

    def convert(docx, lists=False):
        seen["reader running"] = any(b"pdftext_worker" in _cmdline(p) for p in _children())
        return _blank_pdf(), None

    monkeypatch.setattr(render_pdf, "docx_to_pdf", convert)
    made, _, items, reader = pdf.converted(b"docx", proof=False, read=True)
    assert seen["reader running"] and items is None and reader is not None
    reading = pdf.read_text(made, True, reader)
    assert [(p.number, p.width, p.height) for p in reading.text] == [(1, 200.0, 300.0)]
    assert reader.returncode is not None


def test_a_failed_conversion_ends_the_reader_started_for_it(monkeypatch):
    from renstra_gen.errors import ConversionError
    from renstra_gen.render import pdf as render_pdf
    from renstra_gen.workflows import pdf

    def fails(docx, lists=False):
        raise ConversionError("LibreOffice gagal")

    monkeypatch.setattr(render_pdf, "docx_to_pdf", fails)
    import pytest

    with pytest.raises(ConversionError):
        pdf.converted(b"docx", proof=False, read=True)
    assert not any(b"pdftext_worker" in _cmdline(p) for p in _children())


def _children() -> list[int]:
    import os
    from pathlib import Path

    pid = os.getpid()
    return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cmdline(pid: int) -> bytes:
    from pathlib import Path

    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_an_incremental_pdf_that_fails_its_proof_is_converted_again_in_full(tmp_path, monkeypatch):
    """A wrong text applied in the warm office (here injected) is caught by the print proof of the
    incremental PDF, and the PDF returned is a full conversion's, which passes it."""
    import shutil

    import pytest

    from renstra_gen.render import office as office_mod, pdf as render_pdf, text_edits
    from renstra_gen.workflows.build import build
    from renstra_gen.workflows.pdf import converted, prove_pdf, read_text
    from tests.conftest import FIXTURES

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install.sh --test")
    monkeypatch.setenv("RENSTRA_OFFICE_DIR", str(tmp_path / "office"))
    monkeypatch.setattr(office_mod, "_shared", {})
    content = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", content)
    before = build(content, tmp_path / "a").written[0].read_bytes()
    program = content / "tabel" / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace("2026: 55000000,", "2026: 57345000,", 1),
                       encoding="utf-8")
    after = build(content, tmp_path / "b").written[0].read_bytes()

    real_edits = text_edits.text_edits
    assert real_edits(before, after)

    def wrong(old: bytes, new: bytes):  # every changed text made "9"s: a replacement gone wrong
        return [text_edits.Edit(e.text, e.occurrence, e.start, e.old, "9" * len(e.new), e.count)
                for e in real_edits(old, new) or []]

    calls: list[dict] = []
    real = render_pdf.docx_to_pdf

    def spy(docx, **kwargs):
        info = kwargs.setdefault("info", {})
        out = real(docx, **kwargs)
        calls.append(dict(info, asked=kwargs.get("incremental", False)))
        return out

    monkeypatch.setattr(render_pdf, "docx_to_pdf", spy)
    try:
        first, _, _, reader = converted(before, proof=True, read=True)  # the office now holds `before`
        read_text(first, True, reader)
        monkeypatch.setattr(text_edits, "text_edits", wrong)
        pdf, _, items, reader = converted(after, proof=True, read=True)
        report = prove_pdf(after, pdf, tmp_path / "b.pdf", read_text(pdf, True, reader), items)
    finally:
        office_mod.shared_office().stop()
    # the second conversion applied the wrong texts; the third, in full, was asked for no more
    assert [(c["incremental"], c["asked"]) for c in calls] == [(False, True), (True, True), (False, False)]
    assert not report.findings and report.cells
