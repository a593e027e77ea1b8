"""The fixed start-up cost of a small build (issue 29): what a build imports and builds before its
first output, pinned in fresh processes (an import made by an earlier test would hide it here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES, ROOT

#: run in a fresh interpreter: a build of argv[1] into argv[2], then the modules it imported
_BUILD = """
import json, sys
from pathlib import Path
from renstra_gen.workflows.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps(sorted(sys.modules)))
"""

#: never needed by the parent process of a build of unchanged content (Babel: its answers are kept, numbers.py)
_PARSERS = ("markdown_it", "ruamel.yaml", "pydantic.plugin._loader", "importlib.metadata", "babel")


def _env(tmp_path) -> dict[str, str]:
    return dict(os.environ, RENSTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"),
                PYTHONPATH=str(ROOT))


def _imported(tmp_path, code: str, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=_env(tmp_path), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_build_recipe_leaves_out_the_parsers_the_workbook_and_the_web(tmp_path):
    modules = _imported(tmp_path, "import json, sys\nimport renstra_gen.cli, renstra_gen.workflows.build\n"
                                  "print(json.dumps(sorted(sys.modules)))")
    assert "renstra_gen.workflows.build" in modules
    for name in _PARSERS + ("openpyxl", "django", "renstra_gen.web"):
        assert name not in modules, name


def test_a_build_of_unchanged_content_parses_no_yaml_and_no_markdown(tmp_path):
    """Every file's validated model, every chapter's blocks and Babel's locale answers come from the
    user's cache: neither parser nor Babel is imported, and no pydantic validator is built (which would
    load pydantic's plugins)."""
    content = tmp_path / "konten"
    shutil.copytree(FIXTURES / "minimal", content)
    first = _imported(tmp_path, _BUILD, str(content), str(tmp_path / "out1"))
    assert {"markdown_it", "ruamel.yaml"} <= first  # the first build parses (and fills the cache)
    warm = _imported(tmp_path, _BUILD, str(content), str(tmp_path / "out2"))
    for name in _PARSERS + ("subprocess",):  # every figure's PNG cached: no Graphviz run (render/figures.py)
        assert name not in warm, name
    for name in ("renstra-arsip-kota-contoh.docx", "renstra-arsip-kota-contoh-tabel.xlsx"):
        assert (tmp_path / "out2" / name).read_bytes() == (tmp_path / "out1" / name).read_bytes()
    # an edited chapter is parsed again (and only the Markdown parser is needed for it)
    chapter = sorted((content / "bab").glob("*.md"))[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nParagraf baru di akhir bab.\n", encoding="utf-8")
    edited = _imported(tmp_path, _BUILD, str(content), str(tmp_path / "out3"))
    assert "markdown_it" in edited and "ruamel.yaml" not in edited
