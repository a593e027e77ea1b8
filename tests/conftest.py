"""Shared fixtures: content sets copied to a temporary folder, and built documents."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_CONTENT = ROOT / "content"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "m": "http://schemas.openxmlformats.org/officeDocument/2006/math"}


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory):
    """Builds under test keep their figure and template cache to themselves, not in ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("RENSTRA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))  # the cache's signing key
    yield
    from renstra_gen.render.office import Office

    Office().stop()  # the warm LibreOffice of the session's conversions (in the cache folder above)
    mp.undo()


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A writable copy of the small content set of another office."""
    dst = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", dst)
    return dst


@pytest.fixture
def dp3a(tmp_path) -> Path:
    """A writable copy of the DP3A content set (bidang 2.08, 2025-2029, cascade, F4)."""
    dst = tmp_path / "dp3a"
    shutil.copytree(FIXTURES / "dp3a", dst)
    return dst


def document_xml(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read("word/document.xml"))


_PLAIN = str.maketrans({"\u00a0": " ", "\u2011": "-", "\u200b": None})


def plain(text: str) -> str:
    """Text as a reader reads it: the no-break space and hyphen the document prints in names, NIPs and
    acronyms as a space and a hyphen, the zero-width break after a "/" dropped (render/metrics.py)."""
    return text.translate(_PLAIN)


def texts(root: etree._Element) -> list[str]:
    """The text of every paragraph, in order (table cells included)."""
    return [plain("".join(t.text or "" for t in p.iter(f"{{{W}}}t"))) for p in root.iter(f"{{{W}}}p")]


def table_rows(root: etree._Element, caption_start: str) -> list[list[str]]:
    """Rows of the table whose caption paragraph starts with `caption_start`, as cell texts.

    Every grid position is a cell (a vertically merged cell repeats as an empty one)."""
    body = root.find(f"{{{W}}}body")
    found = False
    for el in body:
        if el.tag == f"{{{W}}}p":
            t = "".join(x.text or "" for x in el.iter(f"{{{W}}}t"))
            style = el.find("w:pPr/w:pStyle", NS)
            if style is not None and style.get(f"{{{W}}}val") in ("JudulTabel", "JudulLampiran") and t.startswith(caption_start):
                found = True
        elif el.tag == f"{{{W}}}tbl" and found:
            return [[plain(" ".join("".join(x.text or "" for x in p.iter(f"{{{W}}}t")) for p in tc.findall("w:p", NS)).strip())
                     for tc in tr.findall("w:tc", NS)] for tr in el.findall("w:tr", NS)]
    raise AssertionError(f"no table captioned {caption_start!r}")
