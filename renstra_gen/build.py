"""The build recipe: load and validate everything, compute, render in memory, and only then write."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from renstra_gen import model as m
from renstra_gen.atomic import locked, publish, recover
from renstra_gen.check import check
from renstra_gen.compose import Plan, compose
from renstra_gen.errors import ContentError, Finding, OutputError, PrintProofError, Source, error
from renstra_gen.layout import derive
from renstra_gen.load import Content, load_content

if TYPE_CHECKING:
    from renstra_gen.proof import ProofReport
    from renstra_gen.render.figures import Drawings

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
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


@dataclass
class BuildResult:
    written: list[Path]
    warnings: list[Finding] = field(default_factory=list)
    proof: ProofReport | None = None  # the print proof of the PDF, when one was written and proved


def write_atomically(outputs: dict[Path, bytes], root: Path | None = None, *, replace_links: bool = False,
                     mode: int | None = None) -> list[Path]:
    """Replace several files all or nothing (a journal under `root`, by default their common folder).

    See renstra_gen.atomic: temporaries beside each file, fsynced, one commit, then os.replace.
    Outputs derived from an input pass `replace_links` (a link in their place is replaced, never
    written through) and the input's `mode`."""
    from renstra_gen.atomic import replace_files

    if root is None:
        root = Path(os.path.commonpath([os.path.realpath(p.parent) for p in outputs]))
    replace_files(root, outputs, replace_links=replace_links, mode=mode)
    return list(outputs)


def prepare(content_dir: Path) -> Plan:
    """Load, validate, check and compose: everything a renderer needs, or a ContentError."""
    recover(content_dir)
    with locked(content_dir, shared=True):  # never half of an import being written
        content = load_content(content_dir)
    return plan_content(content)


def plan_content(content: Content) -> Plan:
    """Check and compose loaded content; a ContentError if anything is an error.

    The checks only read the content: they run in a child process on the other core while this
    one composes. Their errors win over anything composing made of the same content."""
    from renstra_gen.parallel import Forked

    derived = derive(content.tables, content.identity.periode.years, content.indicators, content.lampiran)
    with Forked(check, content, derived) as checking:
        try:
            plan = compose(content, derived)
        except Exception:
            findings = checking.result()
            if any(f.is_error for f in findings):
                raise ContentError(findings) from None
            raise
        findings = checking.result()
    if any(f.is_error for f in findings):
        raise ContentError(findings)
    plan.warnings = content.warnings + findings + plan.warnings
    return plan


@collector_paused()
def inspect(content_dir: Path, collect: bool = False) -> list[Finding]:
    """Everything `check` reports: load errors, consistency findings, narrative problems.

    With collect=True content errors are returned as findings instead of raised."""
    try:
        plan = prepare(Path(content_dir))
        return plan.warnings + check_renja_years(plan.content, plan.derived)
    except ContentError as e:
        if not collect:
            raise
        return e.findings


def check_renja_years(content: Content, derived) -> list[Finding]:
    """What `renstra renja YEAR` would report for every year that has inputs in renja/<YEAR>/."""
    from renstra_gen.errors import Source, error
    from renstra_gen.renja import compose_renja

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
    from renstra_gen.render.docx import tanggal

    return f"DRAFT \u2014 {tanggal(build_date())}"


def require_templates(templates: Path, *names: str) -> None:
    """Fail with one clear message when a template file is missing."""
    missing = [n for n in names if not (Path(templates) / n).is_file()]
    if missing:
        raise OutputError(f"templat tidak ditemukan di {templates}: {', '.join(missing)}")


def start_drawings(content: Content) -> Drawings:
    """Every figure's Graphviz run, started now so that it overlaps checking and composing."""
    from renstra_gen.cache import cache_dir
    from renstra_gen.compose import drawing_keys, figure_parts
    from renstra_gen.render.figures import Drawings, figure_dot, printed_size, tree_dot

    sources = {}
    fit = printed_size(content.identity.kertas)
    landscape = printed_size(content.identity.kertas, landscape=True)
    for key, parts in figure_parts(content).items():  # a pohon kinerja: one drawing per part
        for part, drawing in zip(parts, drawing_keys(key, len(parts))):
            sources[drawing] = tree_dot(part, landscape)
    for key, figure in content.figures.items():
        if isinstance(figure, m.PerformanceTreeFigure):
            continue
        try:
            sources[key] = figure_dot(figure, content.organisasi, fit)
        except ValueError:
            continue  # reported by check; the build stops there
    return Drawings(sources, cache=cache_dir("figures"))


def prove_pdf(docx: bytes, pdf: bytes, target: Path) -> ProofReport:
    """The print proof of a PDF before it is written: every paragraph and table cell of the .docx
    must be in the PDF's text, else a PrintProofError with one finding per table or section."""
    from renstra_gen.proof import prove

    report = prove(docx, pdf, str(target))
    if report.findings:
        raise PrintProofError(report.findings)
    return report


def render_all(plan: Plan, templates: Path, drawings: Drawings, draft: bool = False, pdf: bool = False,
               update_fields: bool = False, tte_kata_pengantar: bool = False,
               proof: Path | None = None) -> tuple[dict[str, bytes], ProofReport | None]:
    """Every output of the Renstra, in memory, keyed by file name; the figures from `drawings`.

    With `pdf` and `proof` (the path the PDF will be written to, for the findings) the PDF is
    proved against the .docx it was made from. The workbook renders in a child process on the
    other core while this one renders the document."""
    require_templates(templates, "renstra.docx", "tabel.xlsx")
    from renstra_gen.parallel import Forked

    slug = plan.identity.slug + ("-draft" if draft else "")  # a draft never replaces the final files
    with Forked(_render_workbook, plan, templates, f"Tabel {plan.identity.judul}", {"jenis": "renstra"}) as workbook:
        from renstra_gen.render.docx import render_docx

        pngs = {key: drawings.png(key) for key in plan.figures}
        label = draft_label() if draft else None
        docx = render_docx(plan, templates / "renstra.docx", pngs, label)
        files = {f"{slug}.docx": docx}
        report = None
        if pdf or update_fields:
            from renstra_gen.render.pdf import docx_to_pdf

            pdf_bytes, filled = docx_to_pdf(docx, lists=update_fields)
            if pdf and not draft:  # the final PDF: empty signature fields over the signature blocks
                from renstra_gen.tte.field import add_signature_fields
                pdf_bytes = add_signature_fields(pdf_bytes, plan.identity, kata_pengantar=tte_kata_pengantar)
            if pdf:
                files[f"{slug}.pdf"] = pdf_bytes
                if proof is not None:
                    report = prove_pdf(docx, pdf_bytes, proof)
            if update_fields:  # our document again, its lists holding LibreOffice's page numbers
                files[f"{slug}.docx"] = render_docx(plan, templates / "renstra.docx", pngs, label, filled=filled)
        files[f"{slug}-tabel.xlsx"] = workbook.result()
    return files, report


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
          proof: bool = True) -> BuildResult:
    """The whole recipe. Writes nothing unless every output rendered (and the PDF passed its print
    proof, unless `proof` is False)."""
    recover(content_dir)
    with locked(content_dir, shared=True):  # never half of an import being written
        content = load_content(Path(content_dir))
    with start_drawings(content) as drawings:
        plan = plan_content(content)
        name = plan.identity.slug + ("-draft" if draft else "")  # as render_all names it
        target = Path(out_dir) / f"{name}.pdf" if proof else None
        files, report = render_all(plan, Path(templates), drawings, draft=draft, pdf=pdf, update_fields=update_fields,
                                   tte_kata_pengantar=tte_kata_pengantar, proof=target)
    written = publish(Path(out_dir), name, files)  # a draft is a set of its own: the final files stay
    return BuildResult(written, plan.warnings + font_warnings(Path(templates) / "renstra.docx"), report)


def font_warnings(template: Path) -> list[Finding]:
    """A warning when tables were measured without the printed font (render/metrics.py)."""
    from renstra_gen.errors import Source, warning
    from renstra_gen.render.metrics import missing_font

    message = missing_font()
    return [warning(Source(str(template)), message)] if message else []


def convert_pdf(docx: Path, out: Path | None = None, proof: bool = True) -> BuildResult:
    """`renstra pdf`: an existing .docx to PDF beside it (or at `out`), lists and fields updated,
    proved against the .docx before it replaces anything."""
    from renstra_gen.render.pdf import docx_to_pdf

    try:
        data = Path(docx).read_bytes()
    except OSError as e:
        raise OutputError(f"{docx}: tidak dapat dibaca ({e.strerror or e})") from e
    if not _is_docx(data):
        raise OutputError(f"{docx}: bukan dokumen Word (.docx); renstra pdf hanya mengubah .docx yang dibuat "
                          f"renstra build")
    pdf, _ = docx_to_pdf(data)
    target = Path(out) if out else Path(docx).with_suffix(".pdf")
    report = prove_pdf(data, pdf, target) if proof else None
    # a PDF beside its .docx joins that build's set (the .docx and .xlsx stay in it)
    group = Path(docx).stem if target.parent.resolve() == Path(docx).parent.resolve() else target.stem
    publish(target.parent, group, {target.name: pdf}, keep_others=True)
    return BuildResult([target], proof=report)


def _is_docx(data: bytes) -> bool:
    """A Word package: a zip with word/document.xml (an .xlsx or a renamed file is not)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


@collector_paused()
def build_renja(content_dir: Path, out_dir: Path, year: int, templates: Path = DEFAULT_TEMPLATES, *,
                pdf: bool = False, draft: bool = False, proof: bool = True) -> BuildResult:
    """`renstra renja YEAR`: the Renja draft for one year (.docx, .xlsx, and .pdf if asked, proved
    like the Renstra's unless `proof` is False)."""
    from renstra_gen.parallel import Forked
    from renstra_gen.renja import CHAPTERS, compose_renja

    require_templates(templates, "renja.docx", "tabel.xlsx", *(f"renja/{n}" for n in CHAPTERS + ["kata-pengantar.md"]))
    recover(content_dir)
    with locked(content_dir, shared=True):
        content = load_content(Path(content_dir))
    derived = derive(content.tables, content.identity.periode.years, content.indicators, content.lampiran)
    errors = [f for f in check(content, derived) if f.is_error]
    if errors:
        raise ContentError(errors)
    renja = compose_renja(content, year, Path(templates), derived)
    plan = renja.plan
    title = f"RENCANA KERJA (RENJA) {plan.identity.perangkat_daerah.nama} TAHUN {year}"
    with Forked(_render_workbook, plan, Path(templates), title, {"jenis": "renja", "tahun": year}) as workbook:
        from renstra_gen.render.docx import render_docx

        docx = render_docx(plan, Path(templates) / "renja.docx", {}, draft_label() if draft else None,
                           cover={"tahun": year}, title=title)
        name = f"renja-{year}" + ("-draft" if draft else "")
        files = {f"{name}.docx": docx}
        report = None
        if pdf:
            from renstra_gen.render.pdf import docx_to_pdf

            from renstra_gen.attachments import place_after_covers

            pdf_bytes = docx_to_pdf(docx)[0]
            if proof:  # the document as printed, before the attached documents' own pages join it
                report = prove_pdf(docx, pdf_bytes, Path(out_dir) / f"{name}.pdf")
            from renstra_gen.tte.field import add_signature_fields, page_count

            # the pages before the first cover page: the attached documents' pages never come before it
            own = page_count(pdf_bytes) - len(plan.attachments)
            pdf_bytes = place_after_covers(pdf_bytes, plan.attachments)
            if not draft:  # like the Renstra's: an empty signature field over the Penutup's block
                pdf_bytes = add_signature_fields(pdf_bytes, plan.identity, own_pages=own)
            files[f"{name}.pdf"] = pdf_bytes
        files[f"{name}-tabel.xlsx"] = workbook.result()
    written = publish(Path(out_dir), name, files)
    return BuildResult(written, content.warnings + renja.warnings + font_warnings(Path(templates) / "renja.docx"),
                       report)
