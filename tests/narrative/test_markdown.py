import re

import pytest

from renstra_gen.errors import ContentError
from renstra_gen.narrative.fancylists import format_marker
from renstra_gen.narrative.document import Heading, Para, Place
from renstra_gen.narrative.markdown import md_escape, parse_markdown, render_jinja


def paras(md: str) -> list[Para]:
    return [b for b in parse_markdown(md, "bab.md", 1) if isinstance(b, Para)]


@pytest.mark.parametrize("source, markers", [
    ("1. satu\n2. dua\n", ["1.", "2."]),
    ("1) satu\n2) dua\n", ["1)", "2)"]),
    ("a. satu\nb. dua\nc. tiga\n", ["a.", "b.", "c."]),
    ("A. satu\nB. dua\n", ["A.", "B."]),
    ("(1) satu\n(2) dua\n", ["(1)", "(2)"]),
    ("(a) satu\n(b) dua\n", ["(a)", "(b)"]),
    ("i. satu\nii. dua\niii. tiga\n", ["i.", "ii.", "iii."]),
    ("- satu\n- dua\n", ["\u2022", "\u2022"]),
    ("c. mulai dari c\nd. lalu d\n", ["c.", "d."]),
    ("h. delapan\ni. sembilan\nj. sepuluh\n", ["h.", "i.", "j."]),  # i. continues a lettered list
])
def test_every_list_style_keeps_its_marker(source, markers):
    assert [p.marker for p in paras(source)] == markers


def test_nested_lists_indent_and_keep_their_own_styles():
    ps = paras("a. Sekretaris membawahi:\n   (1) Sub Bagian Program;\n   (2) Sub Bagian Keuangan.\nb. Bidang\n")
    assert [(p.marker, p.level) for p in ps] == [("a.", 1), ("(1)", 2), ("(2)", 2), ("b.", 1)]


def test_a_changed_marker_style_starts_a_new_list():
    ps = paras("1. satu\n2. dua\n\na) lain\nb) lagi\n")
    assert [p.marker for p in ps] == ["1.", "2.", "a)", "b)"]


def test_a_sentence_starting_with_a_letter_is_not_a_list():
    ps = paras("Menurut data tahun ini\nB. Sutrisno menyatakan hal itu.\n")
    assert len(ps) == 1 and ps[0].marker is None


def test_list_item_with_paragraphs_marks_only_its_first_paragraph():
    ps = paras("1. Judul butir\n\n   Paragraf lanjutan.\n2. Berikutnya\n")
    assert [(p.marker, p.text) for p in ps] == [("1.", "Judul butir"), (None, "Paragraf lanjutan."), ("2.", "Berikutnya")]


def test_headings_are_numbered_per_chapter_and_run_in_headings_are_not():
    blocks = parse_markdown("# JUDUL\n\n## Satu\n\n### Satu satu\n\n## Dua\n\n#### Tugas\n", "bab.md", 3)
    heads = [(b.level, b.number, b.text) for b in blocks if isinstance(b, Heading)]
    assert heads == [(1, "3", "JUDUL"), (2, "3.1", "Satu"), (3, "3.1.1", "Satu satu"), (2, "3.2", "Dua")]
    runin = [b for b in blocks if isinstance(b, Para)]
    assert runin[0].kind == "runin" and runin[0].text == "Tugas"


def test_bold_and_italic_runs():
    (p,) = paras("Teks **tebal** dan *miring*.\n")
    assert [(r.text, r.bold, r.italic) for r in p.runs] == [
        ("Teks ", False, False), ("tebal", True, False), (" dan ", False, False), ("miring", False, True), (".", False, False)]


@pytest.mark.parametrize("value", ["Dinas A & B", "nilai <10>", 'kutip "ganda" dan \'tunggal\'', "**bukan tebal**", "&amp;", "# bukan judul"])
def test_values_from_data_are_literal_text(value):
    md = render_jinja("Nama: {{ v }}\n", "bab.md", {"v": value})
    (p,) = paras(md)
    assert p.text == f"Nama: {value}"


def test_markdown_text_with_special_characters_survives():
    (p,) = paras('Mitra & "rekan" <kerja> 5 < 6\n')
    assert p.text == 'Mitra & "rekan" <kerja> 5 < 6'


def test_table_placement_is_a_block_of_its_own():
    from renstra_gen.narrative.markdown import placement

    blocks = parse_markdown("Teks." + placement("tabel", "pegawai") + "Lagi.\n", "bab.md", 1)
    assert any(isinstance(b, Place) and b.key == "pegawai" for b in blocks)


def test_unknown_variable_names_file_and_line():
    with pytest.raises(ContentError) as e:
        render_jinja("baris satu\n{{ tidak_ada }}\n", "bab/1.md", {})
    (f,) = e.value.findings
    assert (f.source.file, f.source.line) == ("bab/1.md", 2)
    assert "tidak_ada" in f.message


def test_sandbox_refuses_python_internals():
    with pytest.raises(ContentError) as e:
        render_jinja("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "bab/1.md", {})
    assert e.value.findings[0].source.file == "bab/1.md"


def test_syntax_error_names_the_line():
    with pytest.raises(ContentError) as e:
        render_jinja("a\nb\n{{ x \n", "bab/2.md", {"x": 1})
    assert e.value.findings[0].source.line == 3


@pytest.mark.parametrize("n, style, delim, expected", [
    (3, "lower-alpha", "period", "c."), (27, "lower-alpha", "period", "aa."), (4, "upper-roman", "period", "IV."),
    (12, "decimal", "parens", "(12)"), (2, "decimal", "paren", "2)")])
def test_format_marker(n, style, delim, expected):
    assert format_marker(n, style, delim) == expected


def test_md_escape_leaves_plain_text_alone():
    assert md_escape("Dinas Sosial 2021") == "Dinas Sosial 2021"


def test_a_chapter_text_already_parsed_is_not_parsed_again(monkeypatch):
    """The workspace's check on every save re-parses only the chapters whose text changed (issue 30)."""
    from renstra_gen.narrative import markdown

    calls = []
    real = markdown._markdown().parse
    monkeypatch.setattr(markdown._markdown(), "parse", lambda text: calls.append(text) or real(text))
    text = "## Satu uji cache\n\nParagraf pertama.\n"
    first = markdown.parse_markdown(text, "bab/uji.md", 1)
    again = markdown.parse_markdown(text, "bab/uji.md", 1)
    assert [b.text for b in first if hasattr(b, "text")] == [b.text for b in again if hasattr(b, "text")]
    assert calls == [text]
    markdown.parse_markdown(text + "\nParagraf kedua.\n", "bab/uji.md", 1)
    assert len(calls) == 2


def _unparsed(monkeypatch) -> list[str]:
    """The texts markdown-it parses from now on (the process's own memo of parsed texts emptied)."""
    from renstra_gen.narrative import markdown

    calls: list[str] = []
    real = markdown._markdown().parse
    monkeypatch.setattr(markdown, "_TOKENS", {})
    monkeypatch.setattr(markdown._markdown(), "parse", lambda text: calls.append(text) or real(text))
    return calls


def test_a_chapter_parsed_by_an_earlier_build_comes_from_the_cache(tmp_path, monkeypatch):
    """The blocks are kept in the user's cache (issue 29): a later process neither parses the
    chapter nor imports markdown-it for it. Its placements keep their place: the marker's token is
    new in every process."""
    from renstra_gen.narrative import markdown

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    text = "## Bagian\n\na. Satu " + markdown.placement("tabel", "pegawai") + "(1) dua\n"
    first = parse_markdown(text, "bab/1.md", 2)
    parsed = _unparsed(monkeypatch)
    assert parse_markdown(text, "bab/1.md", 2) == first
    assert parsed == []
    token = "f" * 16  # the next build's process
    again = text.replace(markdown._TOKEN, token)
    monkeypatch.setattr(markdown, "_TOKEN", token)
    monkeypatch.setattr(markdown, "_PLACE", re.compile(rf"^@@(tabel|gambar):(.+)@@{token}$"))
    assert parse_markdown(again, "bab/1.md", 2) == first
    assert parsed == []
    assert [type(b).__name__ for b in first] == ["Heading", "Para", "Place", "Para"]
    assert parse_markdown(text, "bab/1.md", 3) != first  # another chapter's numbering: parsed for it
    assert len(parsed) == 1


def test_a_placement_and_its_text_written_literally_are_never_taken_for_each_other(tmp_path, monkeypatch):
    from renstra_gen.narrative import markdown

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    placed = "Teks." + markdown.placement("tabel", "pegawai") + "Lagi.\n"
    literal = placed.replace(markdown._TOKEN, "")  # what a planner could write: "@@tabel:pegawai@@"
    for _ in range(2):  # parsed, then from the cache
        assert any(isinstance(b, Place) for b in parse_markdown(placed, "bab/1.md", 1))
        assert not any(isinstance(b, Place) for b in parse_markdown(literal, "bab/1.md", 1))
        assert "@@tabel:pegawai@@" in [b.text for b in parse_markdown(literal, "bab/1.md", 1) if isinstance(b, Para)]


def test_a_forged_blocks_entry_is_never_unpickled(tmp_path, monkeypatch):
    """Whoever can write the cache folder cannot make a build run code or print other text."""
    import pickle

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    text = "Paragraf asli.\n"
    parse_markdown(text, "bab/1.md", 1)
    (entry,) = (tmp_path / "narasi").iterdir()
    body = entry.read_bytes()
    forged = pickle.dumps([Para([])], protocol=pickle.HIGHEST_PROTOCOL)
    entry.write_bytes(body[:64] + forged)  # its MAC and key kept, another body
    parsed = _unparsed(monkeypatch)
    assert [b.text for b in parse_markdown(text, "bab/1.md", 1)] == ["Paragraf asli."]
    assert parsed == [text]


def test_two_offices_chapters_of_the_same_name_keep_their_own_parsed_blocks(tmp_path, monkeypatch):
    """A workspace builds many offices whose chapters share file names (bab/bab-1.md): each keeps its
    own entry in the user's cache, so building them in turn parses neither again."""
    from renstra_gen.narrative import markdown

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    one, two = "## Kantor satu\n\nParagraf satu.\n", "## Kantor dua\n\nParagraf dua.\n"
    calls = _unparsed(monkeypatch)
    for _ in range(2):
        for text, office in ((one, "/data/kantor-satu"), (two, "/data/kantor-dua")):
            monkeypatch.setattr(markdown, "_TOKENS", {})  # each as a new build process would
            markdown.parse_markdown(text, "bab/bab-1.md", 1, office)
    assert calls == [one, two]
