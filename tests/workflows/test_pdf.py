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
