"""The warm LibreOffice (render/office.py): shared safely, replaced when it dies or hangs, never left behind."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from renstra_gen.workflows.build import build
from renstra_gen.errors import ConversionError
from renstra_gen.render.office import Office
from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by "
                                "tools/install.sh --test")


@pytest.fixture(scope="module")
def docx(tmp_path_factory) -> bytes:
    return build(FIXTURES / "minimal", tmp_path_factory.mktemp("docx")).written[0].read_bytes()


@pytest.fixture
def office(tmp_path):
    office = Office(tmp_path / "office", idle=120)
    yield office
    office.stop()
    assert office.running() is None and not _processes(office.state)


def _processes(state: Path) -> list[int]:
    """Pids whose command line names this office's folder (its supervisor and LibreOffice)."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(state).encode() in (proc / "cmdline").read_bytes():
                    out.append(int(proc.name))
            except OSError:
                pass
    return out


def _pages(pdf: bytes) -> int:
    from renstra_gen.content.pdftext import read_pages

    return len(read_pages(pdf, failed="x"))


def test_the_office_stays_warm_between_conversions(office, docx):
    timings: list = []
    first, lists = office.convert(docx, lists=True, timings=timings)
    assert first.startswith(b"%PDF-") and lists and any("1.1 Latar Belakang" in e for e in lists[0])
    assert [step for step, _ in timings] == ["load", "formula fonts", "index update 1", "index update 2",
                                            "PDF/A export", "lists read back"]
    running = office.running()
    assert running and running["office"] in _processes(office.state)
    second, _ = office.convert(docx)
    assert office.running() == running  # the same LibreOffice did both
    assert _pages(second) == _pages(first)


def test_two_conversions_at_once_take_turns_on_one_office(office, docx):
    results: dict[int, object] = {}

    def convert(n: int) -> None:
        try:
            results[n] = office.convert(docx)[0]
        except Exception as e:  # noqa: BLE001 - the assertion below shows it
            results[n] = e

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert all(isinstance(r, bytes) and r.startswith(b"%PDF-") for r in results.values()), results
    assert len(results) == 2 and _pages(results[0]) == _pages(results[1])
    # a second Office object on the same folder (another build, another worker) shares it too
    assert Office(office.state).running() == office.running()


def test_an_office_killed_between_two_conversions_is_replaced(office, docx):
    office.convert(docx)
    before = office.running()
    os.killpg(before["office"], signal.SIGKILL)  # LibreOffice crashes, or the OOM killer takes it
    pdf, _ = office.convert(docx)
    assert pdf.startswith(b"%PDF-")
    after = office.running()
    assert after and after["office"] != before["office"]


def test_a_supervisor_killed_between_two_conversions_leaves_nothing_and_is_replaced(office, docx):
    office.convert(docx)
    before = office.running()
    os.kill(before["server"], signal.SIGKILL)
    pdf, _ = office.convert(docx)
    assert pdf.startswith(b"%PDF-")
    deadline = time.monotonic() + 10
    while before["office"] in _processes(office.state) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert before["office"] not in _processes(office.state)  # the orphaned LibreOffice was ended


def test_a_hung_conversion_is_ended_and_the_next_one_starts_afresh(office, docx):
    office.convert(docx)
    with pytest.raises(ConversionError, match="tidak selesai dalam"):
        office.convert(docx, timeout=0.01)  # far shorter than any conversion: as if LibreOffice hung
    assert office.running() is None and not _processes(office.state)
    assert office.convert(docx)[0].startswith(b"%PDF-")


def test_an_idle_office_ends_itself(tmp_path, docx):
    office = Office(tmp_path / "office", idle=1)
    try:
        office.convert(docx)
        deadline = time.monotonic() + 30
        while _processes(office.state) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _processes(office.state) and office.running() is None
    finally:
        office.stop()


def test_renstra_kantor_shows_and_stops_the_users_office(docx):
    from click.testing import CliRunner

    from renstra_gen.cli import main
    from renstra_gen.render.pdf import docx_to_pdf

    runner = CliRunner()
    docx_to_pdf(docx)  # the user's office (in the session's cache folder) stays warm
    r = runner.invoke(main, ["kantor"])
    assert r.exit_code == 0 and r.output.startswith("LibreOffice renstra berjalan (proses "), r.output
    r = runner.invoke(main, ["kantor", "--berhenti"])
    assert r.exit_code == 0 and r.output == "LibreOffice renstra dihentikan.\n"
    assert runner.invoke(main, ["kantor"]).output == "LibreOffice renstra tidak berjalan; --pdf berikutnya memulainya.\n"
    assert not _processes(Office().state)


# -- incremental conversions (the office keeps the last document loaded; render/text_edits.py)

@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> dict[str, bytes]:
    """The minimal content's .docx, the same with one pagu changed, and with a paragraph added."""
    content = tmp_path_factory.mktemp("content") / "minimal"
    shutil.copytree(FIXTURES / "minimal", content)
    program = content / "tabel" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    old = "pagu: {2025: 50000000, 2026: 55000000,"
    assert old in text

    def docx(tag: str) -> bytes:
        return build(content, tmp_path_factory.mktemp(tag)).written[0].read_bytes()

    out = {"before": docx("before")}
    program.write_text(text.replace(old, "pagu: {2025: 50000000, 2026: 57345000,", 1), encoding="utf-8")
    out["pagu"] = docx("pagu")
    bab = content / "bab" / "2-program.md"
    bab.write_text(bab.read_text(encoding="utf-8") + "\n\nParagraf tambahan tentang pagu yang diubah.\n",
                   encoding="utf-8")
    out["paragraph"] = docx("paragraph")
    return out


def _page_words(pdf: bytes) -> list[list[str]]:
    """Each page's words in reading order (a value moved to another row or page changes them)."""
    from renstra_gen.content.pdftext import read_pages

    return [[el.text for line in page.lines for el in line] for page in read_pages(pdf, failed="x")]


def test_an_edited_pagu_converts_incrementally_to_the_words_of_a_full_conversion(office, edited):
    first: dict = {}
    office.convert(edited["before"], incremental=True, info=first)
    assert first == {"incremental": False}  # nothing held yet
    info: dict = {}
    timings: list = []
    quick, _ = office.convert(edited["pagu"], incremental=True, info=info, timings=timings)
    assert info == {"incremental": True}
    steps = [step for step, _ in timings]
    assert steps[0] == "text edits" and "load" not in steps and "formula fonts" not in steps
    full, _ = office.convert(edited["pagu"])
    words = _page_words(quick)
    assert words == _page_words(full)
    assert any("57.345.000" in w for page in words for w in page)


def test_a_structural_edit_is_converted_in_full(office, edited):
    office.convert(edited["before"], incremental=True)
    info: dict = {}
    timings: list = []
    pdf, _ = office.convert(edited["paragraph"], incremental=True, info=info, timings=timings)
    assert info == {"incremental": False} and [s for s, _ in timings][:2] == ["load", "formula fonts"]
    assert any("tambahan" in w for page in _page_words(pdf) for w in page)
    # and a conversion without `incremental` closes what was held: the next one loads again
    office.convert(edited["before"])
    office.convert(edited["pagu"], incremental=True, info=info)
    assert info == {"incremental": False}


def _with_text_changed(docx: bytes, old: str, new: str, occurrence: int) -> bytes:
    """`docx` with the `occurrence`-th w:t reading exactly `old` made `new` (its other parts as they were)."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                hits = [m for m in re.finditer(rb"(<w:t(?: [^>]*)?>)([^<]*)</w:t>", data) if m.group(2) == old.encode()]
                m = hits[occurrence]
                data = data[:m.start(2)] + new.encode() + data[m.end(2):]
            dst.writestr(info, data)
    return out.getvalue()


def test_a_repeated_text_is_edited_at_its_own_occurrence(office, edited):
    """Of three cells reading the same amount, the last one changes: the incremental PDF has the new
    amount in that row, not in another (the page's words in reading order equal a full conversion's)."""
    import re
    import zipfile
    from collections import Counter
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(edited["before"])) as z:
        texts = Counter(re.findall(rb"<w:t(?: [^>]*)?>([0-9][0-9.]{6,})</w:t>", z.read("word/document.xml")))
    amount, n = texts.most_common(1)[0]
    assert n >= 2
    amount = amount.decode()
    changed = _with_text_changed(edited["before"], amount, amount[:-1] + "7", n - 1)
    office.convert(edited["before"], incremental=True)
    info: dict = {}
    quick, _ = office.convert(changed, incremental=True, info=info)
    assert info == {"incremental": True}
    full, _ = office.convert(changed)
    assert _page_words(quick) == _page_words(full)
    assert _page_words(quick) != _page_words(office.convert(_with_text_changed(edited["before"], amount,
                                                                               amount[:-1] + "7", 0))[0])


def test_two_incremental_conversions_at_once_each_get_their_own_documents_pdf(office, edited):
    """Two builds of different documents at once share the held document by turns: each PDF is its
    own document's (a text edit against the other's is applied only to what the office holds)."""
    full = {name: _page_words(office.convert(edited[name])[0]) for name in ("before", "pagu")}
    results: dict[str, list] = {"before": [], "pagu": []}

    def convert(name: str) -> None:
        for _ in range(2):
            try:
                results[name].append(_page_words(office.convert(edited[name], incremental=True)[0]))
            except Exception as e:  # noqa: BLE001 - the assertion below shows it
                results[name].append(e)

    threads = [threading.Thread(target=convert, args=(name,)) for name in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {name: [full[name], full[name]] for name in results}


def test_a_whole_run_replaced_keeps_its_formatting_incrementally(office, edited):
    """A table cell's amount replaced by one sharing no character at either end: the new text is set
    inside the run (uno_client checks it looks as the old one did, else converts in full), and
    prints as a full conversion does."""
    import re
    import zipfile
    from collections import Counter
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(edited["before"])) as z:
        texts = Counter(re.findall(rb"<w:t(?: [^>]*)?>([1-8][0-9.]{6,}[1-8])</w:t>", z.read("word/document.xml")))
    old = next(t.decode() for t, n in texts.items() if n == 1)
    changed = _with_text_changed(edited["before"], old, "9.090.909", 0)
    office.convert(edited["before"], incremental=True)
    info: dict = {}
    quick, _ = office.convert(changed, incremental=True, info=info)
    assert info == {"incremental": True}
    assert _page_words(quick) == _page_words(office.convert(changed)[0])
