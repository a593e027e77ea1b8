"""Writing YAML back: no edit, no change; an edit changes only the lines of the values it changes."""

from __future__ import annotations

import difflib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from renstra_gen.content.yamlio import _from_events, edit_yaml, KEYS_KEY, LINE_KEY
from renstra_gen.content.angka_id import AngkaError, baca, tampak_angka

ROOT = Path(__file__).resolve().parents[2]
CONTENT_FILES = sorted([*(ROOT / "content").rglob("*.yaml"), *(ROOT / "tests" / "fixtures").rglob("*.yaml")])
# files that are not valid YAML on purpose
BROKEN = {"tests/fixtures/bad/yaml-malformed/tabel/aset.yaml"}
FILES = [p for p in CONTENT_FILES if p.relative_to(ROOT).as_posix() not in BROKEN]


def load(text: str):
    """The document as the content loader reads it: numbers (as angka_id reads them) as Decimal."""
    return _plain(_from_events(text, "uji.yaml")[0])


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items() if k not in (LINE_KEY, KEYS_KEY)}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if isinstance(v, str) and tampak_angka(v):
        try:
            return baca(v)
        except AngkaError:
            return v  # kept as written (a column width 0.7 is read by its own field)
    return str(v) if isinstance(v, str) else v


def yaml_load(text: str):
    return YAML(typ="safe").load(text)


def leaves(data, path=()):
    """(path, value) of every number and text value of a document."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from leaves(v, path + (i,))
    elif isinstance(data, (int, float, str, Decimal)) and not isinstance(data, bool):
        yield path, data


def changed(value):
    if isinstance(value, Decimal):
        return value + 7 if value == value.to_integral_value() else value + Decimal("0.25")
    return value + " diubah"


def put(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def diff_lines(a: str, b: str) -> list[int]:
    """Numbers of the lines of `a` that differ in `b` (the two have the same number of lines)."""
    matcher = difflib.SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False)
    return [i for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)]


def test_there_are_content_files_to_test():
    assert len(FILES) >= 40 and any(p.name == "program-pendanaan.yaml" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_load_then_write_without_edits_is_byte_identical(path):
    text = path.read_bytes().decode("utf-8")
    data = load(text)
    assert edit_yaml(text, []) == text
    # every value written back as it is loaded: still byte-identical (kode: null, comments, quotes kept)
    assert edit_yaml(text, list(leaves(data))) == text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_an_edit_changes_only_the_lines_of_the_values_it_changes(path):
    text = path.read_bytes().decode("utf-8")
    data = load(text)
    single_line = [(p, v) for p, v in leaves(data) if "\n" not in str(v)]
    edits = [(p, changed(v)) for p, v in single_line[::3]]  # every third value
    if not edits:
        pytest.skip("no single-line values")
    new = edit_yaml(text, edits)
    expected = load(text)
    for p, v in edits:
        put(expected, p, v)
    assert load(new) == expected
    assert len(new.splitlines()) == len(text.splitlines())
    edited_lines = set(diff_lines(text, new))
    assert len(edited_lines) <= len(edits)


MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
PROGRAM = (MINIMAL / "tabel" / "program.yaml").read_text(encoding="utf-8")
PROGRAM_LEAVES = list(leaves(load(PROGRAM)))
YEAR_MAPS = sorted({p[:-1] for p, _ in PROGRAM_LEAVES if len(p) > 1 and p[-2] in ("pagu", "target")}, key=str)

values = st.one_of(
    st.integers(min_value=0, max_value=10**15),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    # text a target may hold: number-shaped text is a number (or refused), never text
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).filter(
        lambda t: not tampak_angka(t) and t.strip() != "-"),
)


@settings(max_examples=int(__import__("os").environ.get("YAML_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(YEAR_MAPS), st.integers(2024, 2031), st.one_of(st.none(), values)),
                max_size=8))
def test_generated_edits_read_back_exactly_and_keep_every_other_line(edits):
    """Years added, changed and removed in flow mappings, with any number or text."""
    wanted = {}
    for where, year, value in edits:
        if isinstance(value, str) and not value.strip():
            value = None
        wanted[where + (year,)] = value
    new = edit_yaml(PROGRAM, list(wanted.items()))
    expected = load(PROGRAM)
    for p, v in wanted.items():
        node = expected
        for part in p[:-1]:
            node = node[part]
        if v is None:
            node.pop(p[-1], None)
        else:
            node[p[-1]] = Decimal(v) if isinstance(v, int) else v
    assert load(new) == expected
    touched = {p[:-1] for p in wanted}
    old_lines, new_lines = PROGRAM.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    # a line changes only if it holds a year mapping that was edited
    assert len(diff_lines(PROGRAM, new)) <= len(touched)


def test_missing_and_null_mappings_and_keys_are_added_on_their_own_lines():
    text = "program:\n  - kode: null   # tanpa kode\n    nama: A\n    pagu:\n    target: null\n  - nama: B\n"
    new = edit_yaml(text, [(("program", 0, "pagu", 2025), 5), (("program", 0, "target", 2026), "60%"),
                           (("program", 1, "lokasi"), "Kota: Atambua"), (("program", 1, "pagu", 2025), 1)])
    assert new == ("program:\n  - kode: null   # tanpa kode\n    nama: A\n    pagu: {2025: 5}\n"
                   "    target: {2026: 60%}\n  - nama: B\n    lokasi: \"Kota: Atambua\"\n    pagu: {2025: 1}\n")
    assert edit_yaml(text, [(("program", 0, "kode"), None)]) == text  # null stays null


def test_text_that_yaml_would_read_as_something_else_is_quoted():
    text = "a: x\nb: 'y'\n"
    for value in ("null", "true", "123", "1.5", "- x", "a: b", "#x", " lead", "2021-01-01", "[x]", "é ok", "0?", "a #b"):
        new = edit_yaml(text, [(("a",), value), (("b",), value)])
        assert yaml_load(new) == {"a": value, "b": value}
    assert edit_yaml(text, [(("b",), "it's")]) == "a: x\nb: 'it''s'\n"  # single quotes stay single


BLOCK = """# rencana
program:
  - nama: A   # baris utama
    target:
      2025: 1   # awal
      2027: 3
    pagu:
      2026: 5

      2028: 7
    lokasi: X
  - nama: B
"""


@settings(max_examples=int(__import__("os").environ.get("YAML_EXAMPLES", 60)), deadline=None)
@given(st.lists(st.tuples(st.sampled_from([("program", 0, "target"), ("program", 0, "pagu"), ("program", 1, "pagu")]),
                          st.integers(2024, 2029), st.one_of(st.none(), values)), max_size=8))
def test_generated_edits_of_block_mappings_keep_comments_and_blank_lines(edits):
    wanted = {}
    for where, year, value in edits:
        if isinstance(value, str) and not value.strip():
            value = None
        wanted[where + (year,)] = value
    new = edit_yaml(BLOCK, list(wanted.items()))
    expected = load(BLOCK)
    for p, v in wanted.items():
        node = expected
        for part in p[:-2]:
            node = node[part]
        if v is None:
            node.get(p[-2], {}).pop(p[-1], None)
        else:
            node.setdefault(p[-2], {})[p[-1]] = Decimal(v) if isinstance(v, int) else v
    assert load(new) == expected
    assert new.startswith("# rencana\nprogram:\n  - nama: A   # baris utama\n")


def test_an_unchanged_text_is_parsed_once_a_changed_one_again(tmp_path, monkeypatch):
    """The workspace loads the whole content on every save (issue 30): only the changed file is parsed."""
    from renstra_gen.content import yamlio
    from renstra_gen.errors import ContentError

    calls = []
    real = yamlio._from_events
    monkeypatch.setattr(yamlio, "_from_events", lambda text, rel: calls.append(rel) or real(text, rel))
    path = tmp_path / "a.yaml"
    path.write_text("judul: Satu\nnilai: {2026: 85,5}\n", encoding="utf-8")
    first = yamlio.load_yaml(path, "a-uji-cache.yaml")
    assert yamlio.load_yaml(path, "a-uji-cache.yaml") == first and calls == ["a-uji-cache.yaml"]
    path.write_text("judul: Dua\nnilai: {2026: 85,5}\n", encoding="utf-8")
    data, _ = yamlio.load_yaml(path, "a-uji-cache.yaml")
    assert data["judul"] == "Dua" and len(calls) == 2
    with pytest.raises(ContentError):  # a broken text is never cached as a result
        path.write_text("judul: [\n", encoding="utf-8")
        yamlio.load_yaml(path, "a-uji-cache.yaml")
