"""The Berita Acara Verifikasi as a document of its own (.docx, and .pdf if asked), from a review record:
the office's identity and head from the content, everything else from the record."""

from __future__ import annotations

from pathlib import Path

from renstra_gen.compose.renstra import Plan
from renstra_gen.layout.berita_acara import Rekaman, berita_acara, renja_subject, renstra_subject
from renstra_gen.system.atomic import publish
from renstra_gen.workflows.build import DEFAULT_TEMPLATES, load_all, require_templates
from renstra_gen.workflows.result import BuildResult


def build_berita_acara(content_dir: Path, out_dir: Path, rekaman: Rekaman, year: int | None = None,
                       templates: Path = DEFAULT_TEMPLATES, *, pdf: bool = False) -> BuildResult:
    """`year`: the Renja of that year was verified; None: the Renstra. Written as
    berita-acara-verifikasi-<renstra|renja-YEAR>.docx (and .pdf), all or nothing."""
    template = "renja.docx" if year else "renstra.docx"
    require_templates(templates, template)
    content = load_all(content_dir)
    ident = content.identity
    kepala = ident.kepala
    if year:
        from renstra_gen.compose.renja import load_inputs

        inputs, _ = load_inputs(content, year, content.warnings)
        kepala = inputs.kepala or kepala
        subject = renja_subject(ident, year)
    else:
        subject = renstra_subject(ident)
    plan = Plan(ident, [], [], {}, {}, [], None, content)
    plan.berita_acara = berita_acara(rekaman, kepala, subject)
    from renstra_gen.render.docx import render_berita_acara

    docx = render_berita_acara(plan, Path(templates) / template)
    name = f"berita-acara-verifikasi-{f'renja-{year}' if year else 'renstra'}"
    files = {f"{name}.docx": docx}
    if pdf:
        from renstra_gen.workflows.pdf import converted

        files[f"{name}.pdf"], *_ = converted(docx, proof=False)
    written = publish(Path(out_dir), name, files)
    return BuildResult(written, list(content.warnings))
