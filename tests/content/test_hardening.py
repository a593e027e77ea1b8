"""Bad and hostile input (issue 21): bounded, contained, and every failure a finding, never a traceback."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renstra_gen.content import limits
from renstra_gen.workflows.build import inspect
from renstra_gen.cli import main
from renstra_gen.errors import ContentError
from renstra_gen.content.yamlio import load_yaml
from tests.bombs import BOMBS, make, run_bounded
from tests.helpers import FIXTURES, overlay


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def errors_of(content: Path) -> list[str]:
    return [str(f) for f in inspect(content, collect=True) if f.is_error]


def assert_finding(result, where: str, words: str) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln.strip() for ln in result.output.splitlines() if ": galat:" in ln]
    assert any(ln.startswith(where) and words in ln for ln in lines), result.output


# ---------------------------------------------------------------- inputs that hang or eat memory

@pytest.mark.parametrize("name", sorted(BOMBS))
def test_each_bomb_is_a_fast_finding_in_bounded_memory(name, tmp_path):
    """Each one took GBs or minutes before; now a finding within seconds under a 1 GB cap."""
    content, args = make(name, tmp_path)
    r = run_bounded(args, content, tmp_path / "out", memory_mb=1000, timeout=60,
                    env={"RENSTRA_CACHE_DIR": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert r.code == 1, (r.code, r.output[-2000:])
    assert ": galat: " in r.output and "Traceback" not in r.output, r.output[-2000:]
    assert r.seconds < 30 and r.peak_mb < 400, (r.seconds, r.peak_mb)


def test_nested_loops_within_the_range_limit_stop_at_the_loop_budget(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    (content / "bab" / "3-penutup.md").write_text(
        "# PENUTUP\n\n{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n")
    (found,) = errors_of(content)
    assert found.startswith("bab/3-penutup.md:3: galat: templat melampaui batas: perulangan")


def test_a_slow_template_stops_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "JINJA_SECONDS", 0.3)  # well after the template has started
    content = overlay("control-chars", tmp_path / "c")
    (content / "bab" / "3-penutup.md").write_text(
        "# PENUTUP\n\n{% for i in range(1000) %}{% for j in range(990) %}{% set x = (j * 2) | string | length %}{% endfor %}{% endfor %}\n"
        "{{ 1 }}\n")
    found = errors_of(content)
    assert any(f.startswith("bab/3-penutup.md:3: galat: templat melampaui batas: perhitungan templat melebihi "
                            "batas waktu 0.3 detik") for f in found), found


@pytest.mark.parametrize("expr, words", [
    ("'a'.ljust(10**9)", "terlalu besar"),
    ("'%999999999d' % 1", "lebar format"),
    ("'ab' | center(10**9)", "terlalu besar"),
    ("('a' * 900000).replace('a', 'aa')", "replace"),
    ("'{:>999999999}'.format(1)", "lebar format"),
    ("'%*d' % (999999999, 1)", "terlalu besar"),
    ("2 ** 9999", "pangkat"),
])
def test_values_a_template_makes_are_bounded(tmp_path, expr, words):
    content = overlay("control-chars", tmp_path / "c")
    (content / "bab" / "3-penutup.md").write_text(f"# PENUTUP\n\n{{{{ {expr} }}}}\n")
    (found,) = errors_of(content)
    assert found.startswith("bab/3-penutup.md:3: galat: templat melampaui batas") and words in found, found


def test_ordinary_formatting_of_large_figures_still_works():
    from renstra_gen.narrative.markdown import render_jinja

    text = render_jinja("{{ '{:,}'.format(2519295635) }} {{ '%d' % 2519295635 }} {{ 2519295635 | angka }} "
                        "{{ 10 ** 18 }}", "bab.md", {})
    assert text == "2,519,295,635 2519295635 2.519.295.635 1000000000000000000"


def test_output_of_a_template_is_bounded_also_inside_macros(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    (content / "bab" / "3-penutup.md").write_text(
        "# PENUTUP\n\n{% macro m() %}{% for i in range(10000) %}" + "x" * 1000 + "{% endfor %}{% endmacro %}"
        "{% set s = m() %}\n")
    (found,) = errors_of(content)
    assert "hasil templat terlalu panjang" in found


# ---------------------------------------------------------------- escapes

@pytest.mark.parametrize("rel", ["tabel/aset.yaml", "gambar/struktur.yaml", "indikator.yaml", "organisasi.yaml",
                                 "renja/2027/renja.yaml", "renja/2027/bab/1-pendahuluan.md"])
def test_a_symlink_out_of_the_content_folder_is_refused(tmp_path, rel):
    content = overlay("control-chars", tmp_path / "c")
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-LUAR\n")
    target = content / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(secret)
    found = errors_of(content)
    assert any(f.startswith(f"{rel}: galat:") and "luar folder konten" in f for f in found), found
    assert not any("RAHASIA" in f for f in found)


def test_a_forged_template_cache_entry_is_never_run(tmp_path, monkeypatch):
    """Whoever can write the cache folder cannot make the next build run code."""
    import marshal

    from renstra_gen.narrative import markdown as narrative

    cache, config = tmp_path / "cache", tmp_path / "cfg"
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    content = overlay("control-chars", tmp_path / "c")
    narrative._compile.cache_clear()
    assert cli("check", "--content", str(content)).exit_code == 0
    entries = list((cache / "jinja").glob("*.cache"))
    assert entries and all(e.read_bytes()[:32] != b"\0" * 32 for e in entries)
    assert not (cache / "jinja" / "cache.key").exists() and (config / "renstra-gen" / "cache.key").is_file()
    assert oct((config / "renstra-gen" / "cache.key").stat().st_mode & 0o777) == "0o600"
    # a forged entry: valid Jinja bytecode whose code writes a file, under every bucket name
    planted = tmp_path / "ditanam.txt"
    code = compile(f"open({str(planted)!r}, 'w').write('x')\ndef root(context, missing=None, environment=None):\n"
                   f"    yield ''\nblocks = {{}}\ndebug_info = ''\n", "<x>", "exec")
    import pickle

    magic = narrative.jinja2.bccache.bc_magic
    for e in entries:
        body = e.read_bytes()[32:]
        checksum = pickle.loads(body[len(magic):])  # the source checksum the bucket expects
        forged = magic + pickle.dumps(checksum, 2) + marshal.dumps(code)
        e.write_bytes(b"\0" * 32 + forged)
    narrative._compile.cache_clear()
    assert cli("check", "--content", str(content)).exit_code == 0
    assert not planted.exists()


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    from renstra_gen.system.cache import cache_dir

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "shared"))
    (tmp_path / "shared").mkdir()
    os.chmod(tmp_path / "shared", 0o777)
    assert cache_dir("jinja") is None and cache_dir("figures") is None
    os.chmod(tmp_path / "shared", 0o700)
    assert cache_dir("jinja") == tmp_path / "shared" / "jinja"


# ---------------------------------------------------------------- tracebacks instead of findings

CASES = {
    "lone-surrogate": ("bab/3-penutup.md:3:", "surrogate"),
    "macro-recursion": ("bab/3-penutup.md:3:", "terlalu dalam"),
    "rowspan-huge": ("tabel/aset.yaml:12:", "tinggi harus ≤ 50000"),
    "pagu-huge": ("tabel/program.yaml:24:", "angka terlalu besar"),
    "pagu-negative": ("tabel/program.yaml:24:", "pagu 2025 tidak boleh negatif"),
    "renja-unknown-code": ("renja/2027/renja.yaml:6:", "kode 9.99.99.2.01.01 tidak ada di tabel program"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_build_report_a_finding(case, tmp_path):
    where, words = CASES[case]
    content = overlay(case, tmp_path / case)
    assert_finding(cli("check", "--content", str(content)), where, words)
    if case != "renja-unknown-code":
        assert_finding(cli("build", "--content", str(content), "--out", str(tmp_path / "out")), where, words)
        assert not (tmp_path / "out").exists()
    else:
        assert_finding(cli("renja", "2027", "--content", str(content), "--out", str(tmp_path / "out")), where, words)


def test_a_lone_surrogate_quoted_in_a_finding_is_printed_escaped(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    (content / "bab" / "3-penutup.md").write_text('# PENUTUP\n\n{{ tabel("\\ud800") }}\n')
    r = cli("check", "--content", str(content))
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.exception
    assert "bab/3-penutup.md:3: galat: tabel '\\ud800' tidak ada" in r.output
    (content / "tabel" / "\udcff.yaml").write_text("jenis: umum\n")  # an undecodable file name
    r = cli("check", "--content", str(content))
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.exception
    assert "tabel/\\udcff.yaml: galat: nama berkas" in r.output


def test_a_rowspan_past_the_last_row_is_a_finding(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    p = content / "tabel" / "aset.yaml"
    p.write_text(p.read_text().replace('tinggi: 2}', 'tinggi: 50}'))
    found = errors_of(content)
    assert any(f.startswith("tabel/aset.yaml:13: galat: baris 3:") and "melebihi baris terakhir" in f for f in found), found


def test_a_literal_placement_line_is_text_and_places_nothing(tmp_path):
    content = overlay("literal-placement", tmp_path / "c")
    r = cli("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    xml = zipfile.ZipFile(tmp_path / "out" / "renstra-arsip-kota-contoh.docx").read("word/document.xml").decode()
    assert "@@tabel:aset@@" in xml and "@@tabel:tidak-ada@@" in xml  # printed as written
    assert cli("build", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path / "good")).exit_code == 0
    good = zipfile.ZipFile(tmp_path / "good" / "renstra-arsip-kota-contoh.docx").read("word/document.xml").decode()
    assert xml.count("Aset Utama") == good.count("Aset Utama")  # the table once, where tabel("aset") placed it


def test_pdf_of_a_workbook_is_a_message(tmp_path):
    book = tmp_path / "x.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    r = cli("pdf", str(book))
    assert r.exit_code == 1 and "bukan dokumen Word (.docx)" in r.output and "Traceback" not in r.output


# ---------------------------------------------------------------- quiet gaps

def test_a_table_file_name_with_a_space_is_a_finding(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    shutil.copy(content / "tabel" / "aset.yaml", content / "tabel" / "aset baru.yaml")
    r = cli("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1
    assert_finding(r, "tabel/aset baru.yaml:", "tanpa spasi")


def test_a_cell_longer_than_excel_allows_is_a_finding(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    p = content / "tabel" / "aset.yaml"
    p.write_text(p.read_text().replace('"Gedung Arsip"', '"' + "x" * (limits.TEXT_CHARS + 1) + '"'))
    found = errors_of(content)
    assert any(f.startswith("tabel/aset.yaml:11: galat:") and "teks terlalu panjang" in f for f in found), found


def test_a_very_tall_cell_keeps_the_row_within_excels_409_points(tmp_path):
    import re

    content = overlay("control-chars", tmp_path / "c")
    p = content / "tabel" / "aset.yaml"
    p.write_text(p.read_text().replace('"Gedung Arsip"', '"' + "baris\\n" * 400 + '"'))
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "out")).exit_code == 0
    book = zipfile.ZipFile(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx")
    heights = [float(h) for n in book.namelist() if n.startswith("xl/worksheets/")
               for h in re.findall(rb'ht="([0-9.]+)"', book.read(n))]
    assert max(heights) == 409


def test_a_period_longer_than_ten_years_is_a_finding(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    p = content / "renstra.yaml"
    p.write_text(p.read_text().replace("akhir: 2029", "akhir: 2035"))
    (found,) = errors_of(content)
    assert found.startswith("renstra.yaml:11: galat:") and "batas 10 tahun" in found


def test_a_draft_never_overwrites_the_final_files(tmp_path):
    out = tmp_path / "out"
    assert cli("build", "--content", str(FIXTURES / "minimal"), "--out", str(out)).exit_code == 0
    final = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}  # .renstra: the sets
    r = cli("build", "--draft", "--content", str(FIXTURES / "minimal"), "--out", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        list(final) + ["renstra-arsip-kota-contoh-draft.docx", "renstra-arsip-kota-contoh-draft-tabel.xlsx"])
    assert {n: (out / n).read_bytes() for n in final} == final


def test_build_counts_warnings_and_verbose_lists_them(tmp_path):
    import re

    quiet = cli("build", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path / "q"))
    hint = re.escape(f"jalankan renstra check --content {FIXTURES / 'minimal'} untuk rinciannya")  # the user's --content
    summary = re.search(rf"^(\d+) peringatan \u2014 {hint}$", quiet.output, re.M)
    assert summary and ": peringatan:" not in quiet.output, quiet.output
    loud = cli("build", "--verbose", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path / "v"))
    assert "tabel/program.yaml:18: peringatan: kegiatan 2.24.02.2.01" in loud.output
    assert loud.output.count(": peringatan:") == int(summary.group(1))


def test_a_baseline_sets_known_findings_aside(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    saved = cli("check", "--simpan-dasar", "--content", str(content))
    assert saved.exit_code == 0 and (content / "dasar-pemeriksaan.txt").is_file()
    again = cli("check", "--content", str(content))
    assert "0 peringatan baru" in again.output and "peringatan: kegiatan" not in again.output
    built = cli("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert " temuan sudah dikenal (dasar-pemeriksaan.txt), 0 baru\n" in built.output, built.output
    p = content / "tabel" / "program.yaml"
    p.write_text(p.read_text().replace("pagu: {2025: 150000000}", "pagu: {2025: 150000001}"))
    changed = cli("check", "--content", str(content))
    assert "1 peringatan baru" in changed.output and "150.000.001" in changed.output
    everything = cli("check", "--semua", "--content", str(content))
    assert everything.output.count(": peringatan:") >= 3


def test_library_and_click_texts_reach_the_user_in_indonesian(tmp_path):
    content = overlay("control-chars", tmp_path / "c")
    (content / "organisasi.yaml").write_text("unit:\n\t- nama: x\n")
    r = cli("check", "--content", str(content))
    assert "organisasi.yaml:2: galat: YAML tidak sah, kolom 1: karakter tab tidak boleh dipakai" in r.output
    md = tmp_path / "catatan.md"
    md.write_text("x")
    r = cli("import-xlsx", str(md), "--content", str(content))
    assert "bukan buku kerja Excel (.xlsx)" in r.output and "does not support" not in r.output
    r = cli("build", "--tidak-ada")
    assert "Pemakaian: " in r.output and "build [PILIHAN]" in r.output and "Pilihan '--tidak-ada' tidak ada" in r.output
    assert "Usage" not in r.output and "Error" not in r.output
    r = cli("--help")
    assert "Pilihan:" in r.output and "Perintah:" in r.output and "Options" not in r.output


# ---------------------------------------------------------------- generated input never gives a traceback

yaml_text = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t 0123456789.\\u")), max_size=200)
markdown = st.lists(st.sampled_from(list("ab*_ #{}%()'\"[]|-.:\n\\~<>@") + ["{{", "}}", "{%", "%}", "@@", "tabel",
                                                                                "range(", "'\\ud800'", "**"]),
                    max_size=80).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_text)
def test_generated_yaml_is_data_or_a_finding(tmp_path, text):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    try:
        load_yaml(p, "x.yaml")
    except ContentError as e:
        assert all(f.source.file == "x.yaml" for f in e.findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=markdown)
def test_generated_markdown_chapters_are_text_or_a_finding(tmp_path_factory, text):
    content = overlay("control-chars", tmp_path_factory.mktemp("md") / "c")
    (content / "bab" / "3-penutup.md").write_text("# PENUTUP\n\n" + text + "\n\n{{ tabel(\"indikator\") }}\n")
    for f in inspect(content, collect=True):  # no exception: every problem is a finding
        assert f.source.file


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.builds(lambda kind, rest: {**rest, "jenis": kind, "judul": "x"},
                      st.sampled_from(["umum", "rekap", "capaian-kinerja", "anggaran-realisasi", "program-pendanaan",
                                       "strategi", "indikator-kinerja", "tujuan-sasaran", "rumus-indikator", []]),
                      st.dictionaries(st.sampled_from(["kolom", "kepala", "baris", "program", "tahun", "indikator",
                                                        "kelompok", "rincian", "nilai", "total_tertulis"]),
                             st.recursive(st.none() | st.integers(-10**30, 10**30) | st.text(max_size=5),
                                          lambda children: st.one_of(
                                              st.lists(children, max_size=3),
                                              st.dictionaries(st.sampled_from(["teks", "tinggi", "lebar", "kode", "nama",
                                                                               "pagu", "awal", "akhir", 2025, "x"]),
                                                              children, max_size=3)),
                                          max_leaves=10))))
def test_generated_tables_are_content_or_a_finding(tmp_path_factory, table):
    import json

    content = overlay("control-chars", tmp_path_factory.mktemp("t") / "c")
    (content / "tabel" / "aset.yaml").write_text(json.dumps(table).replace('"2025"', "2025"))
    for f in inspect(content, collect=True):
        assert f.source.file


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.dictionaries(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                              "[Content_Types].xml", "word/document.xml", "x"]),
                             st.binary(max_size=300) | st.sampled_from([b"<c r='A1'/>" * 50, b"<si><t>a</t></si>" * 50]),
                             max_size=4),
       junk=st.binary(max_size=64), broken=st.booleans())
def test_generated_workbooks_are_measured_or_refused(tmp_path_factory, parts, junk, broken):
    from renstra_gen.content.xlsxguard import check_workbook_limits

    book = tmp_path_factory.mktemp("x") / "buku.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    if broken:
        book.write_bytes(book.read_bytes()[: len(junk) * 3] + junk)
    try:
        check_workbook_limits(book)
    except ContentError as e:
        assert [f.source.file for f in e.findings] == [str(book)]
