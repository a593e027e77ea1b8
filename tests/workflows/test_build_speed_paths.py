"""What makes a build fast must not change what it builds: the forked workbook process, the figure
and template caches, zipping once, the paused garbage collector and the CLI's quick exit."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import zipfile

import pytest

from renstra_gen.narrative import markdown as narrative
from renstra_gen.workflows.build import build, collector_paused
from renstra_gen.errors import ContentError, OutputError, Source, error, warning
from renstra_gen.system.parallel import Forked
from renstra_gen.render import figures
from renstra_gen.render.package import normalise_zip, read_parts, zip_parts
from tests.conftest import FIXTURES, ROOT

# ---------------------------------------------------------------- the forked child

def _big(n: int) -> bytes:
    return bytes(range(256)) * n


def _fails() -> None:
    raise ContentError([error(Source("tabel/x.yaml", 7), "pagu bukan angka")])


def test_a_forked_call_returns_its_value_even_larger_than_a_pipe_buffer():
    with Forked(_big, 4096) as job:  # 1 MiB: more than the pipe holds, so reading must come first
        assert job.result() == _big(4096)


def test_a_forked_call_raises_its_exception_in_the_parent_with_its_findings():
    with Forked(_fails) as job, pytest.raises(ContentError) as e:
        job.result()
    assert [str(f) for f in e.value.findings] == ["tabel/x.yaml:7: galat: pagu bukan angka"]


def test_a_child_that_dies_is_an_error_not_a_hang():
    import threading
    # beside another thread Forked runs the call in this process, and os._exit would end the test run
    assert threading.active_count() == 1, f"threads left running: {[t.name for t in threading.enumerate()]}"
    with Forked(os._exit, 3) as job, pytest.raises(OutputError, match="status"):
        job.result()


def test_leaving_without_the_result_ends_the_child():
    import time
    with Forked(time.sleep, 60) as job:
        pid = job._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: nothing left running


def test_with_other_threads_running_the_call_runs_in_this_process():
    import threading
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert Forked(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        thread.join()
    with Forked(os.getpid) as job:
        assert job.result() != os.getpid()  # alone again: a child process


def test_without_fork_the_call_runs_in_this_process(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert Forked(_big, 1).result() == _big(1)
    with pytest.raises(ContentError):
        Forked(_fails).result()


def test_a_call_not_forked_runs_in_this_process_when_its_result_is_asked():
    calls = []
    job = Forked(lambda: calls.append(os.getpid()) or os.getpid(), fork=False)
    assert calls == []  # nothing yet: this process does its own work first
    assert job.result() == os.getpid() and calls == [os.getpid()]
    assert job.result() == os.getpid() and len(calls) == 1  # once
    with pytest.raises(ContentError):
        Forked(_fails, fork=False).result()


def test_a_workbook_of_many_cells_renders_in_this_process_with_the_same_bytes(tmp_path, monkeypatch):
    """Issue 29: above FORK_CELLS_MAX table cells the workbook is not forked (a child would copy every
    page of the tables it reads); the files are the same either way."""
    from renstra_gen.workflows import build as recipe

    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    forked = build(FIXTURES / "dp3a", tmp_path / "forked")
    assert len(forks) == 2  # the checks, the workbook
    forks.clear()
    monkeypatch.setattr(recipe, "FORK_CELLS_MAX", 100)
    inline = build(FIXTURES / "dp3a", tmp_path / "inline")
    assert len(forks) == 1  # the checks only
    assert [p.name for p in forked.written] == [p.name for p in inline.written]
    for a, b in zip(forked.written, inline.written):
        assert a.read_bytes() == b.read_bytes(), a.name


# ---------------------------------------------------------------- checks beside composing

def test_the_checks_run_in_a_child_while_this_process_composes(monkeypatch):
    from renstra_gen.workflows import build as b
    real = b.check

    def check_with_pid(content, derived, parts):
        return real(content, derived) + [warning(Source("pid"), str(os.getpid()))]

    monkeypatch.setattr(b, "check", check_with_pid)
    plan = b.prepare(FIXTURES / "minimal")
    pids = [f.message for f in plan.warnings if f.source.file == "pid"]
    assert len(pids) == 1 and pids[0] != str(os.getpid())


def test_a_build_loads_its_renderer_while_the_checks_finish(monkeypatch):
    """Issue 29: a small build's checks end after its composing; the wait loads the .docx renderer."""
    from renstra_gen.content.load import load_content
    from renstra_gen.workflows import build as b

    order = []
    real_compose, real_result = b.compose, Forked.result
    monkeypatch.setattr(b, "compose", lambda *a: order.append("compose") or real_compose(*a))
    monkeypatch.setattr(Forked, "result", lambda self: order.append("checks") or real_result(self))
    b.plan_content(load_content(FIXTURES / "minimal"), meanwhile=lambda: order.append("meanwhile"))
    assert order == ["compose", "meanwhile", "checks"]
    code = ("import sys\nfrom pathlib import Path\nfrom renstra_gen.workflows import build as b\n"
            "b.render_all = lambda *a, **k: sys.exit('renstra_gen.render.docx' in sys.modules and 7)\n"
            f"b.build(Path({str(FIXTURES / 'minimal')!r}), Path('unused'))\n")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120).returncode == 7


def _broken_compose(content, derived, parts):
    raise KeyError("composing fell over")


def test_check_errors_win_over_a_composition_that_fails_on_the_same_content(monkeypatch):
    from renstra_gen.workflows import build as b
    monkeypatch.setattr(b, "check", lambda content, derived, parts: [error(Source("tabel/x.yaml", 3), "kode kosong")])
    monkeypatch.setattr(b, "compose", _broken_compose)
    with pytest.raises(ContentError) as e:
        b.prepare(FIXTURES / "minimal")
    assert [str(f) for f in e.value.findings] == ["tabel/x.yaml:3: galat: kode kosong"]


def test_a_composition_that_fails_on_content_the_checks_accept_fails_as_itself(monkeypatch):
    from renstra_gen.workflows import build as b
    monkeypatch.setattr(b, "compose", _broken_compose)
    with pytest.raises(KeyError, match="composing fell over"):
        b.prepare(FIXTURES / "minimal")


def test_the_body_encoded_in_slices_is_the_body_encoded_whole():
    from renstra_gen.render import oxml

    pieces = ["<w:t>Atambua \u2022 2.519.295.635 \U0001F4C4</w:t>" * 50, "", "\u00e9" * 7, "<w:p/>"]
    for size in (1, 3, 1 << 20):
        assert b"".join(oxml.utf8(pieces, size)) == "".join(pieces).encode("utf-8")


# ---------------------------------------------------------------- caches

def test_a_cached_figure_is_not_drawn_again(tmp_path, monkeypatch):
    dot = 'digraph { a -> b; }'
    with figures.Drawings({"g": dot}, cache=tmp_path) as first:
        png = first.png("g")
    assert png.startswith(figures.PNG_SIGNATURE) and len(list(tmp_path.glob("*.png"))) == 1

    def no_graphviz(*args, **kwargs):
        raise RuntimeError("Graphviz ran again")

    monkeypatch.setattr(subprocess, "Popen", no_graphviz)  # figures imports it where Graphviz runs
    with figures.Drawings({"g": dot}, cache=tmp_path) as again:
        assert again.png("g") == png
    with pytest.raises(RuntimeError, match="Graphviz ran again"):
        figures.Drawings({"g": dot.replace("b", "c")}, cache=tmp_path)  # a changed figure is drawn


def test_a_damaged_cache_entry_is_drawn_again(tmp_path):
    dot = 'digraph { a -> b; }'
    with figures.Drawings({"g": dot}, cache=tmp_path) as d:
        png = d.png("g")
    entry = next(tmp_path.glob("*.png"))
    entry.write_bytes(b"not a png")
    with figures.Drawings({"g": dot}, cache=tmp_path) as d:
        assert d.png("g") == png
    assert entry.read_bytes() == png


def test_drawings_report_graphviz_errors_in_indonesian(tmp_path):
    with figures.Drawings({"g": "digraph { a -> }"}, cache=tmp_path) as d:
        with pytest.raises(Exception, match="Graphviz gagal"):
            d.png("g")
    assert not list(tmp_path.glob("*.png"))


def test_narrative_templates_come_from_the_bytecode_cache_until_the_text_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    narrative._compile.cache_clear()
    text = "Jumlah {{ n }} sub kegiatan.\n"
    assert narrative.render_jinja(text, "bab/1.md", {"n": 3}) == "Jumlah 3 sub kegiatan.\n"
    assert len(list((tmp_path / "jinja").iterdir())) == 1
    narrative._compile.cache_clear()
    compiled = []
    real = narrative._ENV.compile
    monkeypatch.setattr(narrative._ENV, "compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    assert narrative.render_jinja(text, "bab/1.md", {"n": 4}) == "Jumlah 4 sub kegiatan.\n"
    assert compiled == []  # loaded, not compiled
    assert narrative.render_jinja(text + "Lagi.\n", "bab/1.md", {"n": 4}).endswith("Lagi.\n")
    assert len(compiled) == 1
    narrative._compile.cache_clear()


def test_errors_keep_their_line_with_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path))
    narrative._compile.cache_clear()
    for _ in range(2):  # compiled, then loaded from the cache
        narrative._compile.cache_clear()
        with pytest.raises(ContentError) as e:
            narrative.render_jinja("a\nb\n{{ tidak_ada }}\n", "bab/2.md", {})
        assert str(e.value.findings[0]).startswith("bab/2.md:3: galat: nilai 'tidak_ada' tidak dikenal")


def test_a_build_without_cache_and_one_from_a_warm_cache_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    narrative._compile.cache_clear()
    build(FIXTURES / "minimal", tmp_path / "warmup")
    warm = build(FIXTURES / "minimal", tmp_path / "warm").written
    assert list((tmp_path / "cache" / "figures").glob("*.png"))
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    narrative._compile.cache_clear()
    cold = build(FIXTURES / "minimal", tmp_path / "cold").written
    for a, b in zip(warm, cold):
        assert a.read_bytes() == b.read_bytes(), a.name


# ---------------------------------------------------------------- packages and the process

def test_packages_are_written_in_a_fixed_order_with_fixed_times():
    parts = {"word/document.xml": b"<d/>", "[Content_Types].xml": b"<t/>", "_rels/.rels": b"<r/>"}
    data = zip_parts(parts.items())
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        assert z.namelist() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert read_parts(data) == parts
    assert normalise_zip(data) == data == zip_parts(reversed(list(parts.items())))


def test_the_collector_is_paused_during_a_build_and_restored_after():
    seen = []

    @collector_paused()
    def work():
        seen.append(gc.isenabled())
        raise ValueError("stop")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        work()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


@pytest.mark.parametrize("args, code, text", [
    (["build", "--out", "{out}"], 0, "ditulis:"),
    (["check", "--content", "{missing}"], 1, "folder konten tidak ditemukan"),
    (["tidak-ada"], 2, "Perintah 'tidak-ada' tidak ada"),
])
def test_the_console_command_exits_with_clicks_codes_and_flushed_output(tmp_path, args, code, text):
    args = [a.format(out=tmp_path / "out", missing=tmp_path / "tidak-ada") for a in args]
    r = subprocess.run([sys.executable, "-m", "renstra_gen", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == code
    assert text in r.stdout + r.stderr
    if code == 0:
        assert (tmp_path / "out" / "renstra-dinsos-belu-2021-2026-tabel.xlsx").stat().st_size > 0


def test_the_pohon_kinerja_is_laid_out_once_per_build(monkeypatch, tmp_path):
    """The figure's parts are computed once and handed to the drawings, the checks (in their own
    process) and composing; they were computed three times."""
    from renstra_gen.layout import pohon

    calls = tmp_path / "calls"
    real = pohon.parts

    def counted(figure, *args):
        with open(calls, "a") as f:  # appended from whichever process lays it out
            f.write(figure.key + "\n")
        return real(figure, *args)

    monkeypatch.setattr(pohon, "parts", counted)
    build(FIXTURES / "dp3a", tmp_path / "out")
    assert calls.read_text().splitlines() == ["pohon-kinerja"]


def test_measured_page_breaks_are_cached_so_an_edit_converts_once(tmp_path, monkeypatch):
    """Issue 28 item 2: the breaks measured in a PDF are kept under the document's key (its text with
    every digit read as 0), so a rebuild, or one after a pagu edited to as many digits, converts
    once; the .docx is the same as the cold build's."""
    import shutil

    from renstra_gen.workflows import build as recipe
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install.sh --test")
    from renstra_gen.system import cache

    real_dir = cache.cache_dir  # the breaks in a folder of this test's own (the warm office stays the session's)
    monkeypatch.setattr(cache, "cache_dir", lambda kind: tmp_path / "breaks" if kind == "breaks" else real_dir(kind))
    monkeypatch.setattr("renstra_gen.render.table.predicted_breaks", lambda *a, **k: [])  # always mispredicted
    conversions = []
    real = recipe.converted
    monkeypatch.setattr(recipe, "converted", lambda *a, **k: conversions.append(1) or real(*a, **k))
    from tests.helpers import grow_dp3a
    content = tmp_path / "dp3a"
    shutil.copytree(FIXTURES / "dp3a", content)
    grow_dp3a(content, "2.08.02.2.02", "2.08.02.2.03")  # a sasaran group of Tabel 6.2 across a page
    docx = []
    # cold: nothing predicted, so a conversion measures the breaks, one puts the repeated rows there
    # (moving the group's later break) and one more measures that; warm: the cached breaks, once
    for run, expected in (("cold", 3), ("warm", 1)):
        conversions.clear()
        result = build(content, tmp_path / run, pdf=True)
        assert len(conversions) == expected, run
        docx.append(next(p for p in result.written if p.suffix == ".docx").read_bytes())
    assert docx[0] == docx[1]
    p = content / "tabel" / "program-pendanaan.yaml"
    assert "25000000" in p.read_text()
    p.write_text(p.read_text().replace("25000000", "26000000", 1))
    conversions.clear()
    result = build(content, tmp_path / "edited", pdf=True)
    assert len(conversions) == 1 and result.proof is not None and not result.proof.findings


def test_cached_breaks_that_repeat_what_was_predicted_render_the_document_once(tmp_path, monkeypatch):
    """Issue 29: a --pdf build whose cached page breaks repeat the labels and parent rows where the
    prediction already put them keeps the document rendered with the prediction (it is the same
    document, byte for byte); breaks that repeat elsewhere render it again."""
    from renstra_gen.workflows import build as recipe
    from renstra_gen.render.docx import render_docx

    from renstra_gen.layout.pohon import figure_parts
    from renstra_gen.render.figures import start_drawings

    content = recipe.load_all(ROOT / "content")
    parts = figure_parts(content)
    with start_drawings(content, parts) as drawings:
        plan = recipe.plan_content(content, parts)
        pngs = {key: drawings.png(key) for key in plan.figures}
    template = recipe.DEFAULT_TEMPLATES / "renstra.docx"
    calls = []

    def layout(breaks, repeated):
        calls.append(breaks)
        return render_docx(plan, template, pngs, None, breaks=breaks, repeated=repeated)

    predicted: dict = {}
    first = layout(None, predicted)
    used = {n: rows for n, (_, rows) in predicted.items() if rows}
    assert used, "the default Tabel 6.2 repeats rows at a predicted break"
    assert layout(used, {}) == first  # the shortcut's premise, checked on the real document

    for known, renders in ((used, 1), ({n: [] for n in used}, 2)):
        calls.clear()
        monkeypatch.setattr(recipe, "_cached_breaks", lambda key, known=known: known)
        docx, breaks, repeated, key = recipe._laid_out(layout, pdf=True)
        assert len(calls) == renders and breaks == known and key is not None
        assert (docx == first) == (renders == 1)
