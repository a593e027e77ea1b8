"""The yearly Renja draft, derived from the Renstra: year N and N+1 sliced from the same content.

Narrative comes from `templates/renja/*.md` (generic, filled from the Renstra) unless the content
has its own `renja/<TAHUN>/bab/<same file name>`; year-specific inputs (realisasi, sumber dana,
catatan, usulan masyarakat) from `renja/<TAHUN>/renja.yaml`.
"""

from __future__ import annotations

import difflib

from dataclasses import dataclass
from pathlib import Path

from renstra_gen.content import model as m
from renstra_gen.content.attachments import attachments
from renstra_gen.compose.renstra import Plan, render_narrative
from renstra_gen.compute.renja import RenjaYear, renja_year
from renstra_gen.compute.renja_tabel import pelayanan, review, tertinggal, usulan
from renstra_gen.errors import ContentError, Finding, Source, error, placeholder, warning
from renstra_gen.check.nomenklatur import guidance_in
from renstra_gen.compute.derived import Derived, derive
from renstra_gen.layout.program import ordered_programs
from renstra_gen.layout.renja import layout_evaluasi, layout_rencana
from renstra_gen.layout.berita_acara import Rekaman, berita_acara, renja_subject
from renstra_gen.layout.verifikasi import verification
from renstra_gen.layout.renja_tabel import layout_pelayanan, layout_review, layout_usulan
from renstra_gen.content.load import Content, TextFile
from renstra_gen.content.limits import MARKDOWN_BYTES
from renstra_gen.numbers import angka, nilai
from renstra_gen.content.paths import inside
from renstra_gen.content.yamlio import load_yaml, read_text, validate

CHAPTERS = ["1-pendahuluan.md", "2-evaluasi.md", "3-tujuan-sasaran.md", "4-rencana-kerja.md", "5-penutup.md"]
TITLE = "RENCANA KERJA (RENJA)"


@dataclass
class RenjaPlan:
    plan: Plan
    year: int
    warnings: list[Finding]


def _program_table(content: Content) -> m.ProgramTable:
    tables = [t for t in content.tables.values() if isinstance(t, m.ProgramTable)]
    if not tables:
        raise ContentError([error(Source("tabel"), "Renja membutuhkan tabel program (jenis: program-pendanaan)")])
    return tables[0]


def load_inputs(content: Content, year: int, warnings: list[Finding]) -> tuple[m.RenjaInput, str]:
    rel = f"renja/{year}/renja.yaml"
    if not (content.root / rel).exists():
        return m.RenjaInput(), rel
    data, tree = load_yaml(inside(content.root, rel), rel, warnings)
    return validate(m.RenjaInput, data if isinstance(data, dict) else {}, tree, rel), rel


def _chapter(content: Content, year: int, templates: Path, name: str, warnings: list[Finding]) -> TextFile:
    rel = f"renja/{year}/bab/{name}" if name != "kata-pengantar.md" else f"renja/{year}/{name}"
    if (content.root / rel).exists():
        return TextFile(rel, read_text(inside(content.root, rel), rel, warnings, limit=MARKDOWN_BYTES))
    return TextFile(f"templates/renja/{name}", (templates / "renja" / name).read_text(encoding="utf-8"))


def compose_renja(content: Content, year: int, templates: Path, derived: Derived | None = None,
                  verifikasi: m.Verifikasi | None = None, rekaman: Rekaman | None = None) -> RenjaPlan:
    """`verifikasi`: the Halaman Verifikasi from a review record (the workspace's), instead of renja.yaml's;
    `rekaman`: that record's Berita Acara Verifikasi, printed in the Lampiran."""
    period = content.identity.periode
    if year not in period.years:
        raise ContentError([error(content.identity.source_of("periode"), f"tahun {year} di luar periode Renstra "
                                                          f"{period.awal}–{period.akhir}; Renja hanya untuk tahun dalam periode")])
    warnings: list[Finding] = []
    findings: list[Finding] = []
    derived = derived or derive(content.tables, period.years, content.indicators, content.lampiran)
    matrix = derived.get(_program_table(content).key)
    inputs, inputs_rel = load_inputs(content, year, warnings)
    r = renja_year(matrix, year, inputs)
    known = {n.kode: n.row.nama for n in matrix.walk() if n.kode}
    parents = {n.kode for n in matrix.walk() if n.kode and n.children}
    for item in inputs.realisasi + inputs.catatan + inputs.sumber_dana_khusus:
        if item.kode not in known:
            findings.append(error(item.source_of("kode"), unknown_code(item.kode, known)))
    for item in inputs.realisasi:
        # years before the period may be given (realisasi of the previous Renstra, for N-2 and N-3)
        if item.tahun >= year:
            findings.append(error(item.source, f"realisasi tahun {item.tahun}: hanya tahun sebelum {year} "
                                               f"yang dapat memiliki realisasi untuk Renja {year}"))
        if item.rp is not None and item.kode in parents:
            findings.append(warning(item.source_of("rp"), f"realisasi {item.kode} tahun {item.tahun}: Rp realisasi "
                                                           f"program dan kegiatan dihitung dari sub kegiatannya; "
                                                           f"'rp' di sini diabaikan"))
        if item.target is not None and item.tahun in period.years:
            findings.append(warning(item.source_of("target"), f"realisasi tahun {item.tahun}: target diambil dari "
                                                               f"Renstra; 'target' di sini diabaikan"))
    penetapan = inputs.penetapan or content.identity.penetapan
    if penetapan.tanggal.year != year - 1:
        # where the date used is written: renja.yaml's penetapan, else renstra.yaml's
        where = (inputs.penetapan or content.identity.penetapan).source_of("tanggal")
        what = "tanggal penetapan Renja" if inputs.penetapan else "Renja memakai tanggal penetapan Renstra"
        warnings.append(warning(where, f"{what} {penetapan.tanggal.isoformat()} tidak pada tahun {year - 1} "
                                       f"(Renja tahun {year} disusun pada tahun {year - 1}); isi 'penetapan' di {inputs_rel}"))
    if r.next_year is None:
        warnings.append(warning(content.identity.source_of("periode"), f"tahun {year + 1} di luar periode Renstra: "
                                                        f"prakiraan maju dikosongkan"))
    missing = r.missing_realisasi(year - 1) if year - 1 in period.years else []
    if missing:
        # the Renja prints a note saying so (templates/renja/2-evaluasi.md): stand-in text in a final PDF
        where = inputs.source_of("realisasi") if inputs.line else Source(inputs_rel)  # the key, or line 1
        warnings.append(placeholder(where, f"realisasi tahun {year - 1} belum diisi "
                                                     f"({len(missing)} sub kegiatan, misalnya {missing[0].kode})"))
    for node in matrix.walk():
        if not node.children and node.target.get(year) is None:
            warnings.append(warning(node.row.source, f"sub kegiatan {node.kode or node.row.nama}: "
                                                     f"target tahun {year} tidak ada"))

    findings += check_tables(inputs, known, year)
    attached, problems = attachments(inputs.lampiran, content.root)
    findings += problems
    reviews = review(inputs.review_rkpd, matrix, year)
    for rv in reviews:
        if rv.beda and not rv.row.catatan:
            warnings.append(warning(rv.row.source, f"review RKPD {rv.kode}: rancangan awal dan hasil analisis berbeda "
                                                   f"({', '.join(rv.beda)}) tanpa catatan"))
    nama_pd = content.identity.perangkat_daerah.nama
    grids = {
        "evaluasi": layout_evaluasi(r, f"Rekapitulasi Evaluasi Hasil Pelaksanaan Renja Perangkat Daerah dan "
                                       f"Pencapaian Renstra Perangkat Daerah s/d Tahun {year - 1}", period.akhir,
                                    content.indicators),
        "pelayanan": layout_pelayanan(pelayanan(inputs.pelayanan, year), year,
                                      f"Pencapaian Kinerja Pelayanan {nama_pd}"),
        "review-rkpd": layout_review(reviews, f"Review terhadap Rancangan Awal RKPD Tahun {year}"),
        "usulan": layout_usulan(usulan(inputs.usulan, inputs.usulan_masyarakat, matrix),
                                f"Usulan Program dan Kegiatan dari Para Pemangku Kepentingan Tahun {year}", inputs_rel),
        "rencana": layout_rencana(r, f"Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year} "
                                     f"dan Prakiraan Maju Tahun {year + 1}", content.indicators),
    }
    chapters = [_chapter(content, year, templates, name, warnings) for name in CHAPTERS]
    kata = _chapter(content, year, templates, "kata-pengantar.md", warnings)
    order = {id(p): i for i, (p, _) in enumerate(ordered_programs(matrix.table, matrix, content.indicators))}
    lagging = sorted(tertinggal(r), key=lambda t: order[id(t.program)])  # as the tables print the programs
    if chapters[1].file.startswith("templates/"):
        warnings += _unexplained(lagging, inputs_rel)
    for f in [kata] + chapters:
        if not f.file.startswith("templates/"):
            warnings += guidance_in(f.file, f.text)
    story = render_narrative(chapters, kata, grids, {},
                             lambda places: _context(content, r, places, len(missing), inputs, lagging), findings,
                             scope=f"{content.root}\0renja")
    if any(f.is_error for f in findings):
        raise ContentError(findings)
    for key, grid in grids.items():
        grid.number = story.numbers.get(key, "")
    identity = content.identity.model_copy(update={"judul": TITLE, "lampiran": [], "penetapan": penetapan,
                                                   "kepala": inputs.kepala or content.identity.kepala})
    v = verifikasi or inputs.verifikasi or m.Verifikasi()  # printed unless renja.yaml says tampil: false
    page = verification(v, identity, f"Rencana Kerja (Renja) {identity.perangkat_daerah.nama} Tahun {year}") \
        if v.tampil else None
    plan = Plan(identity, story.kata_pengantar, story.chapters,
                {k: grids[k] for _, k, _, _ in story.order if k in grids}, {}, [], derived, content, [], page,
                attached)
    if rekaman is not None:
        plan.berita_acara = berita_acara(rekaman, identity.kepala, renja_subject(identity, year), lampiran=True)
    return RenjaPlan(plan, year, warnings + findings)


def unknown_code(kode: str, known: dict[str, str]) -> str:
    """'kode X tidak ada di tabel program' with up to three codes of the tree it may have meant
    (those sharing the most leading parts, then the closest in writing), each with its name."""
    def score(k: str) -> tuple[int, float]:
        shared = 0
        for a, b in zip(k.split("."), kode.split(".")):
            if a != b:
                break
            shared += 1
        return shared, difflib.SequenceMatcher(None, k, kode).ratio()

    close = [k for k in sorted(known, key=score, reverse=True) if score(k)[1] >= 0.6][:3]
    msg = f"kode {kode} tidak ada di tabel program"
    return msg + ("; usulan: " + "; ".join(f"{k} {known[k]}" for k in close) if close else "")


def check_tables(inputs: m.RenjaInput, known: dict[str, str], year: int) -> list[Finding]:
    """T-C.30 years within N-2 .. N+1 (realisasi before N, proyeksi from N), T-C.31/32 codes in the program tree."""
    out: list[Finding] = []
    spans = {"target": range(year - 2, year + 2), "realisasi": range(year - 2, year),
             "proyeksi": range(year, year + 2)}
    for row in inputs.pelayanan:
        for key, span in spans.items():
            for y in getattr(row, key):
                if y not in span:
                    out.append(error(row.source_of(key), f"{key} tahun {y} tidak dipakai di T-C.30 Renja {year} "
                                                         f"(hanya tahun {span.start}–{span.stop - 1})"))
    for item in [*inputs.review_rkpd, *(u for u in inputs.usulan if u.kode), *inputs.evaluasi_program]:
        if item.kode not in known:
            out.append(error(item.source_of("kode"), unknown_code(item.kode, known)))
    return out


EXPLANATION = (("penyebab", "penyebab"), ("implikasi", "implikasi"), ("tindakan", "tindak lanjut"))


def _unexplained(lagging, inputs_rel: str) -> list[Finding]:
    """A lagging program whose `evaluasi_program` leaves out penyebab, implikasi or tindakan prints
    "belum diuraikan" there (templates/renja/2-evaluasi.md): one placeholder finding per program."""
    out = []
    for t in lagging:
        keys = [key for key, _ in EXPLANATION if not (t.catatan and getattr(t.catatan, key))]
        if not keys:
            continue
        where = t.catatan.source if t.catatan else Source(inputs_rel)
        name = f"program {t.program.kode or ''} {t.program.row.nama}".replace("  ", " ")
        what = ", ".join(keys[:-1]) + (" dan " if len(keys) > 1 else "") + keys[-1]
        entry = "pada entri evaluasi_program-nya" if t.catatan else \
            f"di evaluasi_program (entri dengan kode: \"{t.program.kode or ''}\")"
        out.append(placeholder(where, f"{name} belum mencapai target; isi {what} {entry} "
                                      f"(tanpa itu tercetak \"belum diuraikan\")"))
    return out


def _sentence(text: str | None) -> str | None:
    """Content text the template follows with its own full stop: without a full stop of its own."""
    return text.strip().rstrip(".").rstrip() if text else text


def _context(content: Content, r: RenjaYear, places, missing: int, inputs: m.RenjaInput, lagging) -> dict:
    year = r.year
    indicators = [{"nama": i.nama, "satuan": i.satuan or "", "target": nilai(i.target.get(year)),
                   "target_lalu": nilai(i.target.get(year - 1))} for i in content.indicators.indikator]
    return {
        "renstra": content.identity,
        "tahun": year,
        "tahun_lalu": year - 1,
        "tahun_depan": year + 1,
        "prakiraan_maju": r.next_year is not None,
        "realisasi_kosong": missing,
        "tujuan": content.indicators.tujuan,
        "indikator": indicators,
        "program": [{"kode": p.kode, "nama": p.row.nama, "pagu": p.pagu.get(year),
                     "realisasi_rp": {y: r.realisasi_rp(p, y) for y in range(year - 3, year)}}
                    for p in r.matrix.programs],
        "pagu_total": r.matrix.total.get(year),
        "pagu_maju": r.matrix.total.get(r.next_year) if r.next_year else None,
        "usulan": inputs.usulan_masyarakat,
        "tertinggal": [_lagging(t) for t in lagging],
        "tabel": lambda key: places.place("tabel", key),
        "nomor": places.nomor,
    }


def _lagging(t) -> dict:
    """A lagging program for the T-C.29 narrative: its figures as printed, the content's explanation."""
    note = t.catatan
    return {
        "kode": t.program.kode or "", "nama": t.program.row.nama,
        "kurang": [{"kode": k.node.kode, "nama": k.node.row.nama, "target": nilai(k.target),
                    "realisasi": nilai(k.realisasi), "tingkat": angka(k.tingkat, 2)} for k in t.kurang],
        "penyebab": _sentence(note.penyebab) if note else None,
        "implikasi": _sentence(note.implikasi) if note else None,
        "tindakan": _sentence(note.tindakan) if note else None,
    }
