"""yamlio._spans reads offsets with libyaml's parser when it can: the same node tree as the pure parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from renstra_gen.content.yamlio import _spans, _spans_with, edit_yaml

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted(p for p in (ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
EXTRA = ['a: "–é😀"\nb: [1, 2]\nc: {x: "ü", y: 2}\nd: |\n  teks – ü 😀\n  dua\ne: 😀 polos\nf: >-\n  x\n',
         "k: 'x''y' # komentar 😀\nl:\n  - 1\n  - \"z\"\r\nm: ~\nn:\n", "a: &x 1\nb: *x\n"]


def _tree(span) -> tuple:
    if span is None:
        return ()
    return (span.kind, span.start, span.end, span.flow, span.style, span.text,
            tuple((k, _tree(ks), _tree(vs)) for k, (ks, vs) in span.keys.items()), tuple(_tree(i) for i in span.items))


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in TEXTS if p.stat().st_size < 2_000_000] + EXTRA)
def test_c_and_pure_parsers_give_the_same_spans(text):
    try:
        pure = _spans_with(text, YAML(typ="safe", pure=True))
    except Exception:  # noqa: BLE001 - a deliberately broken fixture: nothing to compare
        return
    assert _tree(_spans(text)) == _tree(pure)  # what the editor uses, whichever parser read it


def test_libyaml_reads_the_default_content_tree():
    """The fast path is taken for the content the workspace edits most (no empty plain values there)."""
    text = (ROOT / "content/tabel/program-pendanaan.yaml").read_text(encoding="utf-8")
    assert _tree(_spans_with(text, YAML(typ="safe", pure=False))) == _tree(_spans(text))


def test_an_empty_value_is_edited_as_the_pure_parser_places_it():
    text = "a:\nb: 1\nn:\n"
    assert edit_yaml(text, [(("a",), 5), (("n",), 2)]) == "a: 5\nb: 1\nn: 2\n"


def test_a_text_with_a_byte_order_mark_is_edited_in_the_right_place():
    text = "\ufeffjenis: x\npagu: {2025: 1, 2026: 2}\n"
    assert edit_yaml(text, [(("pagu", 2026), 5)]) == "\ufeffjenis: x\npagu: {2025: 1, 2026: 5}\n"
