"""Golden output of the fixtures (minimal, dp3a): canonicalised document XML and extracted text.

Regenerate after an intended change:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/workflows/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from renstra_gen.workflows.build import build
from tests.conftest import FIXTURES, document_xml, texts

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
VOLATILE = re.compile(r'\s(?:w:rsid\w*|r:embed|r:id|wp14:\w+|w14:\w+|id|name|cx|cy)="[^"]*"')


def canonical_xml(docx: Path) -> str:
    """document.xml pretty-printed, with attributes that carry no meaning (ids, rsids) dropped."""
    root = document_xml(docx)
    etree.indent(root, space=" ")
    return VOLATILE.sub("", etree.tostring(root, encoding="unicode"))


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; if intended, regenerate with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("fixture", ["minimal", "dp3a"])
def test_golden_document(tmp_path, fixture):
    docx = build(FIXTURES / fixture, tmp_path).written[0]
    _compare(f"{fixture}.document.xml", canonical_xml(docx))
    _compare(f"{fixture}.txt", "\n".join(texts(document_xml(docx))) + "\n")
