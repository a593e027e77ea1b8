"""The build recipe: load and validate everything, compute, render in memory, and only then write."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

from renstra_gen.render.figures import start_drawings
from renstra_gen.render.fit import measured_once
from renstra_gen.system.atomic import locked, publish, recover
from renstra_gen.check.consistency import check
from renstra_gen.compose.renstra import compose, Plan
from renstra_gen.errors import ContentError, error, Finding, OutputError, Source
from renstra_gen.numbers import tanggal
from renstra_gen.compute.derived import derive
from renstra_gen.layout.pohon import figure_parts
from renstra_gen.content.load import Content, load_partial
# `renstra pdf` and the PDF steps of a build, in a module of their own that `renstra pdf` imports alone
from renstra_gen.workflows.pdf import convert_pdf, converted, prove_pdf, read_text  # noqa: F401
from renstra_gen.workflows.result import BuildResult

if TYPE_CHECKING:
    from renstra_gen.content import model as m
    from renstra_gen.proof.prove import ProofReport
    from renstra_gen.render.figures import Drawings

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for one build (also usable as a decorator).

    A build allocates millions of long-lived objects and leaves almost no reference cycles;
    the collector's repeated passes over an ever larger heap cost a third of a large build
    (5,000 sub kegiatan: 4.1 s -> 2.5 s) and freed nothing measurable (peak RSS equal).
    Reference counting still frees everything else as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare(content_dir: Path) -> Plan:
    """Load, validate, check and compose: everything a renderer needs, or a ContentError."""
    return plan_content(load_all(content_dir))


def load_all(content_dir: Path) -> Content:
    """The content, loaded under the lock; a ContentError naming every error of every file, with
    the errors that checking the files that did load finds (as `renstra check` reports them)."""
    recover(content_dir)
    with locked(content_dir, shared=True):  # never half of an import being written
        content, findings = load_partial(Path(content_dir))
    if findings:
        raise ContentError(findings + [f for f in _later_findings(content, findings) if f.is_error])
    return content


def plan_content(content: Content, parts: dict | None = None, meanwhile=None) -> Plan:
    """Check and compose loaded content; a ContentError if anything is an error. `parts`: the pohon
    kinerja figures' parts (layout.pohon.figure_parts), computed once per build and shared with the drawings.

    The checks only read the content: they run in a child process on the other core while this
    one composes. Their errors win over anything composing made of the same content. `meanwhile()`
    is called once composing is done, before waiting for the checks (a small build's checks end
    after its composing)."""
    from renstra_gen.system.parallel import Forked

    derived = derive(content.tables, content.identity.periode.years, content.indicators, content.lampiran)
    parts = parts if parts is not None else figure_parts(content)
    with Forked(check, content, derived, parts) as checking:
        try:
            plan = compose(content, derived, parts)
        except Exception:
            findings = checking.result()
            if any(f.is_error for f in findings):
                raise ContentError(findings) from None
            raise
        if meanwhile is not None:
            meanwhile()
        findings = checking.result()
    if any(f.is_error for f in findings):
        raise ContentError(findings)
    plan.warnings = content.warnings + findings + plan.warnings + legibility(plan)
    return plan


def legibility(plan: Plan) -> list[Finding]:
    """A warning for every table whose fitted type (render/fit.py) is below 7 pt on its paper, with
    the size a larger paper would give it (check/legibility.py)."""
    from dataclasses import replace

    from renstra_gen.check.legibility import SMALLEST, small_type
    from renstra_gen.content import model as m
    from renstra_gen.grid import columns_of
    from renstra_gen.layout import page
    from renstra_gen.layout.program import year_split
    from renstra_gen.render.fit import fit, measured_once
    from renstra_gen.render.table_cache import sizes_kept

    tables = {t.key: t for t in plan.content.tables.values()} | {t.key: t for t in plan.content.lampiran}

    def printed(grid, parts: list[list[int]], width: float) -> float:
        """The size the table prints at: its smallest part's, when its columns are split over tables."""
        return min(fit(columns_of(grid, c), width).size for c in parts) if parts else fit(grid, width).size

    out = []
    with measured_once():  # a table's cells measured once for its papers (in a build: for its .docx and workbook too)
        for grid in list(plan.tables.values()) + list(plan.lampiran):
            paper = grid.paper or plan.identity.kertas
            # the sizes on its own paper and the larger ones, as found last time for the same cells
            widths = {name: page.text_width(name, grid.landscape) for name in (paper, "F4", "A3")}
            sizes = sizes_kept(grid, tuple(sorted(set(widths.values()))), str(plan.content.root),
                               lambda width: printed(grid, grid.parts, width))  # noqa: B023 - called at once
            size = sizes[widths[paper]]
            if size >= SMALLEST:
                continue
            table = tables.get(grid.key)
            larger = {}
            for name in ("F4", "A3"):
                if widths[name] > widths[paper]:
                    larger[name] = sizes[widths[name]]
            source = table.source if table is not None else Source(grid.key)
            program = isinstance(table, m.ProgramTable) and table.rupiah != "ribu"  # thousands: not chosen yet
            split = None  # the years over two tables: not chosen yet (their size, when they would help)
            if isinstance(table, m.ProgramTable) and not table.pisah_tahun:
                parts = year_split(table, plan.derived.get(table.key), plan.derived.indicators)
                if parts:  # kept too: the default content's matrix asks every build
                    as_split = replace(grid, parts=parts)
                    split = sizes_kept(as_split, (widths[paper],), str(plan.content.root),
                                       lambda width: printed(as_split, parts, width))[widths[paper]]  # noqa: B023
            out += small_type(grid, size, paper, source, program, larger, split)
    return out


@collector_paused()
def inspect(content_dir: Path, collect: bool = False) -> list[Finding]:
    """Everything `check` reports: load errors, consistency findings, narrative problems.

    With collect=True content errors are returned as findings instead of raised, and every file
    is loaded on its own: a mistake in one file hides none in another (what the files that
    failed would have checked is left out, not reported as errors of their own)."""
    if not collect:
        plan = prepare(Path(content_dir))
        return plan.warnings + check_renja_years(plan.content, plan.derived)
    try:
        recover(content_dir)
        with locked(content_dir, shared=True):
            content, load_findings = load_partial(Path(content_dir))
    except ContentError as e:
        return e.findings
    return load_findings + _later_findings(content, load_findings)


def _later_findings(content: Content | None, load_findings: list[Finding]) -> list[Finding]:
    """What checking and composing the (partly) loaded content finds, after the load's own findings."""
    if content is None:  # renstra.yaml failed: nothing can be checked against the period
        return []
    try:
        plan = plan_content(content)
        return plan.warnings + check_renja_years(plan.content, plan.derived)
    except ContentError as e:
        return e.findings
    except Exception:  # noqa: BLE001 - content with failed files composed partly; the load errors explain it
        if not load_findings:
            raise
    try:
        return check(content)
    except Exception:  # noqa: BLE001 - nothing more can be said than the load errors
        return []


def check_renja_years(content: Content, derived) -> list[Finding]:
    """What `renstra renja YEAR` would report for every year that has inputs in renja/<YEAR>/."""
    from renstra_gen.errors import Source, error
    from renstra_gen.compose.renja import compose_renja

    folder = content.root / "renja"
    if not folder.is_dir():
        return []
    out: list[Finding] = []
    for sub in sorted(folder.iterdir()):
        rel = f"renja/{sub.name}"
        if not sub.name.isdigit() or len(sub.name) != 4:
            out.append(error(Source(rel), f"folder '{rel}' harus bernama tahun Renja (misalnya renja/2027)"))
            continue
        try:
            out += compose_renja(content, int(sub.name), DEFAULT_TEMPLATES, derived).warnings
        except ContentError as e:
            out += e.findings
    return out


def build_date() -> dt.date:
    """The date a draft is stamped with: SOURCE_DATE_EPOCH if set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def draft_label() -> str:
    return f"DRAFT \u2014 {tanggal(build_date())}"


def require_templates(templates: Path, *names: str) -> None:
    """Fail with one clear message when a template file is missing."""
    missing = [n for n in names if not (Path(templates) / n).is_file()]
    if missing:
        raise OutputError(f"templat tidak ditemukan di {templates}: {', '.join(missing)}")


def render_all(plan: Plan, templates: Path, drawings: Drawings, draft: bool = False, pdf: bool = False,
               update_fields: bool = False, tte_kata_pengantar: bool = False,
               proof: Path | None = None) -> tuple[dict[str, bytes], ProofReport | None]:
    """Every output of the Renstra, in memory, keyed by file name; the figures from `drawings`.

    With `pdf` and `proof` (the path the PDF will be written to, for the findings) the PDF is
    proved against the .docx it was made from. The workbook renders in a child process on the
    other core while this one renders the document."""
    require_templates(templates, "renstra.docx", "tabel.xlsx")
    from renstra_gen.system.parallel import Forked

    slug = plan.identity.slug + ("-draft" if draft else "")  # a draft never replaces the final files
    with Forked(_render_workbook, plan, templates, f"Tabel {plan.identity.judul}", {"jenis": "renstra"},
                fork=workbook_forked(plan)) as workbook:
        from renstra_gen.render.docx import render_docx

        pngs = {key: drawings.png(key) for key in plan.figures}
        label = draft_label() if draft else None

        def layout(breaks, repeated):
            return render_docx(plan, templates / "renstra.docx", pngs, label, breaks=breaks, repeated=repeated)

        report = None
        # the page breaks the document's merged labels and parent rows are repeated at: predicted, or known
        docx, breaks, repeated, key = _laid_out(layout, pdf)
        files = {f"{slug}.docx": docx}
        if pdf or update_fields:
            reads = bool(pdf and (proof is not None or not draft or repeated))
            pdf_bytes, filled, items, reader = converted(docx, lists=update_fields, proof=pdf and proof is not None,
                                                         sign=pdf and not draft, read=reads)
            reading = read_text(pdf_bytes, proof is not None, reader) if reads else None

            def again(docx):
                pdf_bytes, filled, items, reader = converted(docx, lists=update_fields, proof=proof is not None,
                                                             sign=not draft, read=True)
                return pdf_bytes, filled, items, read_text(pdf_bytes, proof is not None, reader)

            docx, breaks, (pdf_bytes, filled, items, reading), warnings = _measured_again(
                layout, again, docx, breaks, repeated, key, (pdf_bytes, filled, items, reading),
                proof or Path(f"{slug}.pdf"))
            files[f"{slug}.docx"] = docx
            plan.warnings += warnings
            if pdf and not draft:  # the final PDF: empty signature fields over the signature blocks
                from renstra_gen.tte.field import add_signature_fields
                pdf_bytes = add_signature_fields(pdf_bytes, plan.identity, kata_pengantar=tte_kata_pengantar,
                                                 text=reading.text)
            if pdf:
                files[f"{slug}.pdf"] = pdf_bytes
                if proof is not None:
                    report = prove_pdf(docx, pdf_bytes, proof, reading, items)
            if update_fields:  # our document again, its lists holding LibreOffice's page numbers
                files[f"{slug}.docx"] = render_docx(plan, templates / "renstra.docx", pngs, label, filled=filled,
                                                    breaks=breaks)
        files[f"{slug}-tabel.xlsx"] = workbook.result()
    return files, report


#: table cells (all tables' body cells) above which the workbook renders in this process after the
#: document instead of in a forked child on the other core. The child reads every cell of the tables
#: the parent reads too, and reading an object writes its reference count: copy-on-write then gives
#: each process its own copy of every page holding the tables. At province scale that copy costs
#: more memory than the second core saves time (measured in bench/RESULTS.md)
FORK_CELLS_MAX = 150_000


def workbook_forked(plan: Plan) -> bool:
    """Whether the workbook renders in a forked child while this process renders the document."""
    return sum(len(row) for g in [*plan.tables.values(), *plan.lampiran] for row in g.body) <= FORK_CELLS_MAX


def _laid_out(layout, pdf: bool) -> tuple[bytes, dict | None, dict, str | None]:
    """The document rendered by `layout(breaks, repeated)` with its merged labels and parent rows
    repeated "(lanjutan)" at the predicted page breaks, or, when a document laid out as this one was
    converted before (`pdf`), at the breaks measured in its PDF (the cache): (docx, breaks (None:
    predicted), repeated (render_docx's), the cache key)."""
    repeated: dict = {}
    docx = layout(None, repeated)
    key = _breaks_key(docx) if pdf and repeated else None
    known = _cached_breaks(key)
    if known is None:
        return docx, None, repeated, key
    if not _misplaced(repeated, known):
        # the known breaks repeat what the predicted ones did, where they did: the same document
        # (a table is laid out from the rows repeated at its breaks, grid.paged), not rendered again
        return docx, known, repeated, key
    repeated = {}
    return layout(known, repeated), known, repeated, key


#: conversions after the first, at most, to put the repeated labels and parent rows where the PDF
#: breaks (one is enough unless repeated parent rows move a later break of the same table)
AGAIN_MAX = 2


def _measured_again(layout, again, docx: bytes, breaks, repeated: dict, key: str | None, first: tuple,
                    pdf: Path) -> tuple[bytes, dict | None, tuple, list[Finding]]:
    """The page breaks measured in the PDF just converted (`first`: pdf, lists, items, reading; no
    reading: nothing measured); where a table's repeated labels or parent rows are not at them, the
    document laid out again at the measured breaks and converted by `again(docx)`, at most
    AGAIN_MAX times (still misplaced: a warning naming the table). The measured breaks are cached
    under `key`. Returns (docx, breaks, the conversion kept, warnings)."""
    warnings: list[Finding] = []
    reading = first[3]
    measured = _measured_breaks(repeated, docx, first[2], reading) if reading is not None else None
    passes = 0
    while measured is not None and _misplaced(repeated, measured) and passes < AGAIN_MAX:
        # the PDF broke a group elsewhere than predicted: again, at the measured breaks. Parent rows
        # repeated at one break take room from its page, which moves the table's later breaks: the
        # next pass measures those
        passes += 1
        breaks, repeated = measured, {}
        docx = layout(breaks, repeated)
        first = again(docx)
        measured = _measured_breaks(repeated, docx, first[2], first[3])
    if passes and measured is not None:
        warnings = [_continuation_warning(repeated[n][0], pdf) for n in _misplaced(repeated, measured)]
    if measured is not None and key is not None:
        _store_breaks(key, measured)
    return docx, breaks, first, warnings


def _measured_breaks(repeated: dict, docx: bytes, items, reading) -> dict[int, list[int]]:
    """Per table with merged body cells or a tree of rows, the body rows of its grid that start a page
    in the PDF just read (before its proof uses the reading up): a page that starts on a repeated
    parent row starts at the row it was repeated above (grid.paged)."""
    from renstra_gen.grid import paged
    from renstra_gen.proof.prove import document_items, table_breaks

    if not repeated:
        return {}
    found = table_breaks(items if items is not None else document_items(docx), reading.pages,
                         {n: len(grid.header) for n, (grid, _) in repeated.items()})
    out = {}
    for n, rows in found.items():
        grid, used = repeated[n]
        index = paged(grid, used)[2] if used and grid.levels else None
        out[n] = sorted({index[r] for r in rows if r < len(index)}) if index else rows
    return out


def _breaks_key(docx: bytes) -> str:
    """What a document's page breaks depend on: its parts, with every digit of the body's text read
    as 0 (the printed font's digits share one width, so a pagu edited to as many digits moves no
    break). The document is the one rendered with the predicted breaks."""
    import hashlib
    import io
    import re
    import zipfile

    digits = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)")
    total = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if name == "word/document.xml":
                data = digits.sub(lambda m: m.group(1) + re.sub(rb"[0-9]", b"0", m.group(2)), data)
            total.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return total.hexdigest()


def _cached_breaks(key: str | None) -> dict[int, list[int]] | None:
    """The breaks measured in the PDF of a document with the same key, from the user's cache (a
    stale or damaged entry only misplaces labels, which the PDF's measurement then corrects)."""
    import json

    from renstra_gen.system.cache import cache_dir

    folder = cache_dir("breaks") if key is not None else None
    if folder is None:
        return None
    try:
        raw = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        return {int(n): [int(r) for r in rows] for n, rows in raw.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _store_breaks(key: str, measured: dict[int, list[int]]) -> None:
    import json
    import os
    import tempfile

    from renstra_gen.system.cache import cache_dir

    folder = cache_dir("breaks")
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({str(n): rows for n, rows in sorted(measured.items())}, f)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass  # a cache that cannot be written costs the next build a conversion, nothing more


def _misplaced(repeated: dict, measured: dict[int, list[int]]) -> list[int]:
    """The tables whose merged labels or parent rows were not repeated at the page breaks the PDF has."""
    from renstra_gen.grid import paged

    return [n for n, (grid, used) in sorted(repeated.items()) if paged(grid, measured.get(n, []))[1] != used]


def _continuation_warning(grid, pdf: Path) -> Finding:
    from renstra_gen.errors import warning

    what = "baris program/kegiatan" if grid.levels else "label Tujuan/Sasaran"
    return warning(Source(str(pdf)), f"{grid.title}: halaman PDF tetap terpisah di baris lain daripada {what} "
                                     f"yang diulang \"(lanjutan)\" setelah konversi kedua; periksa "
                                     f"halaman lanjutan tabel ini")


def _render_workbook(plan: Plan, templates: Path, title: str, record: dict) -> bytes:
    """The workbook, with the hidden record of the content it shows (for import-xlsx)."""
    from renstra_gen.render.xlsx import render_xlsx
    from renstra_gen.render.xlsx_record import KEY_FILE, content_key, fingerprint

    try:  # the content set's key authenticates the record (made by the first build)
        record_key = content_key(plan.content.root, create=True)
    except ValueError as e:
        raise ContentError([error(Source(KEY_FILE), f"{e}; hapus berkas ini agar kunci baru dibuat "
                                                    f"(buku kerja lama tidak dapat diimpor lagi)")]) from None
    grids = [(key, g) for key, g in plan.tables.items()] + [(g.key, g) for g in plan.lampiran]
    return render_xlsx(grids, plan.identity.kertas, templates / "tabel.xlsx", title=title,
                       author=plan.identity.perangkat_daerah.nama,
                       stamp=dt.datetime.combine(plan.identity.penetapan.tanggal, dt.time()),
                       record=dict(record, konten=fingerprint(plan.content.root), kunci=record_key))


@collector_paused()
def build(content_dir: Path, out_dir: Path, templates: Path = DEFAULT_TEMPLATES, *, pdf: bool = False,
          draft: bool = False, update_fields: bool = False, tte_kata_pengantar: bool = False,
          proof: bool = True, verifikasi: m.Verifikasi | None = None, rekaman=None) -> BuildResult:
    """The whole recipe. Writes nothing unless every output rendered (and the PDF passed its print
    proof, unless `proof` is False). `verifikasi`: the Halaman Verifikasi from a review record (the
    workspace's), printed instead of renstra.yaml's; `rekaman` (layout/berita_acara.Rekaman): its Berita
    Acara Verifikasi, printed after the Halaman Verifikasi."""
    content = load_all(content_dir)
    if verifikasi is not None:
        content.identity = content.identity.model_copy(update={"verifikasi": verifikasi})
    parts = figure_parts(content)  # once: for the drawings, the checks and composing
    # every table's cells measured once, for the legibility check, the .docx and the workbook (render/fit.py)
    with start_drawings(content, parts) as drawings, measured_once():
        plan = plan_content(content, parts, meanwhile=_renderer_loaded)
        if rekaman is not None:  # the Berita Acara Verifikasi from the review record (issue 31)
            from renstra_gen.layout.berita_acara import berita_acara, renstra_subject

            plan.berita_acara = berita_acara(rekaman, plan.identity.kepala, renstra_subject(plan.identity))
        name = plan.identity.slug + ("-draft" if draft else "")  # as render_all names it
        target = Path(out_dir) / f"{name}.pdf" if proof else None
        files, report = render_all(plan, Path(templates), drawings, draft=draft, pdf=pdf, update_fields=update_fields,
                                   tte_kata_pengantar=tte_kata_pengantar, proof=target)
    written = publish(Path(out_dir), name, files)  # a draft is a set of its own: the final files stay
    return BuildResult(written, plan.warnings + font_warnings(Path(templates) / "renstra.docx"), report)


def _renderer_loaded() -> None:
    """Import the document renderer (docxtpl, python-docx: about 30 ms), which the build needs next:
    called while the checks finish on the other core, so that their wait is not lost."""
    import renstra_gen.render.docx  # noqa: F401


def font_warnings(template: Path) -> list[Finding]:
    """A warning when tables were measured without the printed font (render/metrics.py)."""
    from renstra_gen.errors import Source, warning
    from renstra_gen.render.metrics import missing_font

    message = missing_font()
    return [warning(Source(str(template)), message)] if message else []


@collector_paused()
def build_renja(content_dir: Path, out_dir: Path, year: int, templates: Path = DEFAULT_TEMPLATES, *,
                pdf: bool = False, draft: bool = False, proof: bool = True,
                verifikasi: m.Verifikasi | None = None, rekaman=None) -> BuildResult:
    """`renstra renja YEAR`: the Renja draft for one year (.docx, .xlsx, and .pdf if asked, proved
    like the Renstra's unless `proof` is False). `verifikasi`: the Halaman Verifikasi from a review
    record, printed instead of renja.yaml's."""
    from renstra_gen.system.parallel import Forked
    from renstra_gen.compose.renja import CHAPTERS, compose_renja

    require_templates(templates, "renja.docx", "tabel.xlsx", *(f"renja/{n}" for n in CHAPTERS + ["kata-pengantar.md"]))
    content = load_all(content_dir)
    derived = derive(content.tables, content.identity.periode.years, content.indicators, content.lampiran)
    errors = [f for f in check(content, derived) if f.is_error]
    if errors:
        raise ContentError(errors)
    renja = compose_renja(content, year, Path(templates), derived, verifikasi, rekaman)
    plan = renja.plan
    title = f"RENCANA KERJA (RENJA) {plan.identity.perangkat_daerah.nama} TAHUN {year}"
    with Forked(_render_workbook, plan, Path(templates), title, {"jenis": "renja", "tahun": year},
                fork=workbook_forked(plan)) as workbook:
        from renstra_gen.render.docx import render_docx

        def layout(breaks, repeated):
            return render_docx(plan, Path(templates) / "renja.docx", {}, draft_label() if draft else None,
                               cover={"tahun": year}, title=title, breaks=breaks, repeated=repeated)

        # T-C.29 and T-C.33 repeat their parent rows "(lanjutan)" where a page starts inside a program
        docx, breaks, repeated, key = _laid_out(layout, pdf)
        name = f"renja-{year}" + ("-draft" if draft else "")
        report = None
        warnings: list[Finding] = []
        files: dict[str, bytes] = {}
        if pdf:
            from renstra_gen.content.attachments import place_after_covers

            reads = proof or not draft or bool(repeated)
            pdf_bytes, _, items, reader = converted(docx, proof=proof, sign=not draft, read=reads)
            # the document as printed, before the attached documents' own pages join it: proved, and
            # searched for the Penutup's signature block (the attachments follow it)
            reading = read_text(pdf_bytes, proof, reader) if reads else None

            def again(docx):
                pdf_bytes, _, items, reader = converted(docx, proof=proof, sign=not draft, read=True)
                return pdf_bytes, None, items, read_text(pdf_bytes, proof, reader)

            docx, breaks, (pdf_bytes, _, items, reading), warnings = _measured_again(
                layout, again, docx, breaks, repeated, key, (pdf_bytes, None, items, reading),
                Path(out_dir) / f"{name}.pdf")
            text = reading.text if reading is not None else None  # before the proof uses up its words
            if proof:
                report = prove_pdf(docx, pdf_bytes, Path(out_dir) / f"{name}.pdf", reading, items)
            from renstra_gen.tte.field import add_signature_fields, page_count

            # the pages before the first cover page: the attached documents' pages never come before it
            own = page_count(pdf_bytes) - len(plan.attachments)
            pdf_bytes = place_after_covers(pdf_bytes, plan.attachments)
            if not draft:  # like the Renstra's: an empty signature field over the Penutup's block
                pdf_bytes = add_signature_fields(pdf_bytes, plan.identity, text=text, own_pages=own)
            files[f"{name}.pdf"] = pdf_bytes
        files = {f"{name}.docx": docx, **files}
        files[f"{name}-tabel.xlsx"] = workbook.result()
    written = publish(Path(out_dir), name, files)
    return BuildResult(written, content.warnings + renja.warnings + warnings
                       + font_warnings(Path(templates) / "renja.docx"), report)
