"""Consistency checks over the loaded content: every finding with file, line and a plain sentence.

Errors stop a build (the document could not be made correctly); warnings are the document's own
inconsistencies (a printed total that is not the sum of its rows, a code that breaks the
Permendagri 90/2019 pattern): the build goes on and prints the computed figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

from renstra_gen.content import model as m, nomenklatur
from renstra_gen.check.nomenklatur import check_nomenklatur
from renstra_gen.compute.cascade import Cascade, supporting
from renstra_gen.compute.kinerja import Anggaran, CapaianRow
from renstra_gen.compute.period import kondisi_akhir
from renstra_gen.compute.program import ProgramMatrix, TreeNode
from renstra_gen.compute.rekap import Rekap
from renstra_gen.errors import Finding, Source, error, warning
from renstra_gen.grid import START, placements
from renstra_gen.compute.derived import Derived, derive
from renstra_gen.layout import pohon
from renstra_gen.layout.generic import layout as generic_layout
from renstra_gen.layout.indikator import iku_records
from renstra_gen.layout.program import cascade_form
from renstra_gen.content.load import Content
from renstra_gen.numbers import angka, round_half_up
from renstra_gen.layout.page import printed_size
from renstra_gen.narrative.document import FormulaError, parse_formula
from renstra_gen.content.yamlio import locate

CODE_PATTERNS = {
    "program": re.compile(r"^\d\.\d{2}\.\d{2}$"),
    "kegiatan": re.compile(r"^\d\.\d{2}\.\d{2}\.[12]\.\d{2}$"),
    "sub_kegiatan": re.compile(r"^\d\.\d{2}\.\d{2}\.[12]\.\d{2}\.(\d{2}|\d{4})$"),
}
CODE_EXAMPLE = {"program": "1.06.01", "kegiatan": "1.06.01.2.01", "sub_kegiatan": "1.06.01.2.01.01"}
RUMUS_CAPAIAN = {"naik": "realisasi / target × 100", "turun": "(2 × target − realisasi) / target × 100",
                 "tetap": "(target − |realisasi − target|) / target × 100"}
LEVEL_NAME = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}


def check(content: Content, derived: Derived | None = None, parts: dict[str, list[pohon.Part]] | None = None) -> list[Finding]:
    """Every check over the content, in file order. `derived` (the computed tables) and `parts` (the pohon
    kinerja figures' parts, pohon.figure_parts): if already at hand."""
    years = content.identity.periode.years
    derived = derived or derive(content.tables, years, content.indicators, content.lampiran)
    out: list[Finding] = []
    for t in content.tables.values():
        out += check_table(t, content, years, derived.get(t.key))
    for t in content.lampiran:
        out += check_table(t, content, years, None)
    out += check_indicator_records(content.indicators, years)
    for f in content.figures.values():
        if isinstance(f, m.PerformanceTreeFigure):
            out += check_pohon(f, content, None if parts is None else parts.get(f.key, []))
    out += check_nomenklatur(content)
    return missing_file_once(content, out)


#: the words of every finding about a key that indikator.yaml does not hold
NOT_IN_INDIKATOR = "tidak ada di indikator.yaml"


def missing_file_once(content: Content, findings: list[Finding]) -> list[Finding]:
    """When indikator.yaml is missing, one finding names it instead of one per reference to it;
    when it failed to load, its own errors say why and the references are not reported."""
    refs = [f for f in findings if NOT_IN_INDIKATOR in f.message]
    if not refs:
        return findings
    rest = [f for f in findings if NOT_IN_INDIKATOR not in f.message]
    if "indikator.yaml" in content.unavailable:
        return rest
    if (content.root / "indikator.yaml").exists():
        return findings
    first = min(refs, key=lambda f: (f.source.file, f.source.line or 0))
    files = {f.source.file for f in refs}
    return [error(Source("indikator.yaml"),
                  f"berkas indikator.yaml tidak ada, padahal tujuan, sasaran dan indikatornya dirujuk "
                  f"{len(refs)} kali di {len(files)} berkas (pertama di {first.source}); buat berkas itu "
                  f"(lihat docs/content-format.md) atau hapus rujukannya")] + rest


def check_table(t: m.TableBase, content: Content, years: list[int], computed) -> list[Finding]:
    """Checks of one table; `computed` is what compute/ made of it (program matrix, subtotals, ratios)."""
    if isinstance(t, m.ProgramTable):
        drawn = any(isinstance(f, m.PerformanceTreeFigure) and pohon.program_table(f, content.tables) is t
                    for f in content.figures.values())
        return (check_program(t, years, computed) + check_program_cascade(t, content.indicators, drawn)
                + check_rows_filled(t, computed))
    if isinstance(t, m.StrategiTable):
        return check_strategi(t, content.indicators)
    if isinstance(t, m.AngkaTable):
        return check_angka(t)
    if isinstance(t, m.ProgramKegiatanTable):
        source = content.tables.get(t.dari)
        if source is None and f"tabel/{t.dari}.yaml" in content.unavailable:
            return []  # the program table failed to load: its own errors are reported
        if not isinstance(source, m.ProgramTable):
            known = ", ".join(k for k, x in content.tables.items() if isinstance(x, m.ProgramTable)) or "tidak ada"
            return [error(t.source_of("dari"), f"'dari: {t.dari}' bukan tabel program-pendanaan (yang ada: {known})")]
        return []
    if isinstance(t, m.RekapTable):
        return check_rekap(t, computed)
    if isinstance(t, m.CapaianTable):
        return check_capaian(t, computed)
    if isinstance(t, m.AnggaranTable):
        return check_anggaran(t, computed)
    if isinstance(t, m.GenericTable):
        return check_generic(t)
    if isinstance(t, m.TujuanSasaranTable):
        return check_indicator_refs(t, content, years) + check_tujuan_sasaran(t, content.indicators)
    if isinstance(t, (m.IndikatorKinerjaTable, m.RumusTable)):
        return check_indicator_refs(t, content, years)
    if isinstance(t, m.IkuTable):
        return check_indicator_refs(t, content, years) + check_iku(t, content.indicators)
    return []


# ---------------------------------------------------------------- helpers

def _label(node: TreeNode) -> str:
    name = LEVEL_NAME[node.level]
    return f"{name} {node.kode} {node.row.nama}" if node.kode else f"{name} tanpa kode '{node.row.nama}'"


def _years_outside(obj: m.Node, fields: dict[str, dict], years: list[int], what: str,
                   transisi: int | None = None, hint: str = "") -> list[Finding]:
    """A year outside the period (and other than the `transisi` year, when allowed) is an error;
    `hint` is added to the message for the year right after the period."""
    out = []
    for name, per_year in fields.items():
        for y in per_year:
            if y not in years and y != transisi:
                src = obj.source_of(name.split()[0])
                extra = hint if hint and y == years[-1] + 1 else ""
                out.append(error(src, f"{what}: {name} tahun {y} di luar periode {years[0]}–{years[-1]}{extra}"))
    return out


def _same(printed: Decimal, computed: Decimal | None) -> bool:
    """A printed figure agrees with a computed one when equal at the printed precision."""
    if computed is None:
        return printed == 0
    exponent = printed.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return round_half_up(computed, places) == round_half_up(printed, places)


def _at_printed_precision(printed: Decimal, computed) -> str:
    """The computed figure shown with as many decimals as the printed one."""
    if computed is None or isinstance(computed, str):
        return "kosong" if computed is None else computed
    exponent = printed.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return angka(computed, places)


def _fmt(v) -> str:
    if v is None:
        return "kosong"
    d = v if isinstance(v, Decimal) else Decimal(v)
    exponent = d.as_tuple().exponent
    return angka(d, min(2, max(0, -exponent)) if isinstance(exponent, int) else 0)


# ---------------------------------------------------------------- T-C.27 program tree

def check_program(t: m.ProgramTable, years: list[int], matrix: ProgramMatrix) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, Source] = {}
    widths: dict[int, Source] = {}
    for program in matrix.programs:
        out += _check_node(program, None, years, seen, widths, matrix.transisi,
                           optional=matrix.table.tahun_transisi == "opsional")
    if len(widths) > 1:
        where = ", ".join(f"{w} digit ({src})" for w, src in sorted(widths.items()))
        out.append(warning(t.source, f"lebar akhiran kode sub kegiatan tidak seragam dalam satu dokumen: {where}"))
    return out


def check_rows_filled(t: m.ProgramTable, matrix: ProgramMatrix) -> list[Finding]:
    """Rows the plan leaves empty: a program or kegiatan without its indicator (a program of the
    cascade form takes its indicators from its sasaran), a sub kegiatan with neither a target nor a
    pagu in any year (a fresh `renstra init` tree, until it is filled in)."""
    out: list[Finding] = []
    cascade = cascade_form(t)
    for node in matrix.walk():
        row = node.row
        if node.level in ("program", "kegiatan") and not (row.indikator or "").strip():
            if not (node.level == "program" and cascade and row.sasaran_keys):
                what = "indikator hasil (outcome)" if node.level == "program" else "indikator keluaran (output)"
                out.append(warning(row.source, f"{_label(node)}: {what} belum diisi"))
        if node.level == "sub_kegiatan" and not any(v is not None for v in row.target.values()) \
                and not any(v is not None for v in row.pagu.values()):
            out.append(warning(row.source, f"{_label(node)}: target dan pagu belum diisi untuk tahun mana pun"))
    return out


TRANSISI_HINT = " (tahun transisi dicetak hanya bila tabel menulis 'tahun_transisi: true')"


def _check_node(node: TreeNode, parent: TreeNode | None, years, seen, widths, transisi: int | None = None,
                optional: bool = False) -> list[Finding]:
    out: list[Finding] = []
    row, src, label = node.row, node.row.source, _label(node)
    pattern = CODE_PATTERNS[node.level]
    if not node.kode:
        out.append(warning(src, f"{label}: kode tidak ada (contoh bentuk kode {LEVEL_NAME[node.level]}: "
                                f"{CODE_EXAMPLE[node.level]})"))
    else:
        if not pattern.match(node.kode):
            out.append(warning(src, f"{label}: kode '{node.kode}' tidak sesuai bentuk kode {LEVEL_NAME[node.level]} "
                                    f"Permendagri 90/2019 (contoh {CODE_EXAMPLE[node.level]})"))
        # nesting and the official codes and names: check_nomenklatur.py
        code = node.kode.rstrip(".")
        if code in seen:
            out.append(warning(src, f"{label}: kode {node.kode} dipakai dua kali (pertama di baris {seen[code].line})"))
        else:
            seen[code] = src
        if node.level == "sub_kegiatan" and pattern.match(node.kode):
            widths.setdefault(len(node.kode.rsplit(".", 1)[1]), src)
    fields = {"target": row.target}
    if isinstance(row, m.SubKegiatan):
        fields["pagu"] = row.pagu
    if row.tertulis:
        fields["pagu tertulis"] = row.tertulis.pagu
    out += _years_outside(row, fields, years, label, transisi, TRANSISI_HINT)
    out += _check_target_units(row, label, years)
    if transisi and not optional:
        # the transition year is printed: a row with targets (a leaf: with pagu) should state it too
        # (unless the table declares it optional: `tahun_transisi: opsional`)
        missing = [name for name, values in (("target", row.target), ("pagu", getattr(row, "pagu", None)))
                   if values and transisi not in values]
        if missing:
            out.append(warning(row.source_of(missing[0]), f"{label}: {' dan '.join(missing)} tahun transisi "
                                                          f"{transisi} belum diisi"))
    printed = row.tertulis
    if printed and node.children:
        kids = "sub kegiatan" if node.level == "kegiatan" else "kegiatan"
        for y in years:
            if y not in printed.pagu:
                continue
            value, computed = printed.pagu[y], node.pagu.get(y)
            if (value or Decimal(0)) != (computed or Decimal(0)):
                out.append(warning(printed.source, f"{label}, {y}: tertulis {_fmt(value)}, jumlah {kids} {_fmt(computed)}"))
    if printed and printed.kondisi_akhir is not None:
        # the printed end-of-period figure against the printed yearly figures of the same row
        # (leaves: their own pagu; parents: what the document printed, else the computed sums)
        yearly = {y: printed.pagu.get(y, node.pagu.get(y)) if node.children else node.pagu.get(y) for y in years}
        row_sum = sum((v for v in yearly.values() if v is not None), Decimal(0))
        if printed.kondisi_akhir != row_sum:
            out.append(warning(printed.source, f"{label}, kondisi akhir: tertulis {_fmt(printed.kondisi_akhir)}, "
                                               f"jumlah baris {years[0]}–{years[-1]} {_fmt(row_sum)}"))
    for child in node.children:
        out += _check_node(child, node, years, seen, widths, transisi, optional)
    return out


def _check_target_units(row: m.TreeRow, label: str, years: list[int]) -> list[Finding]:
    """A target whose form changes across years (a number one year, 'x & y' another) changes unit."""
    kinds = {}
    for y in years:
        v = row.target.get(y)
        if v is None:
            continue
        kinds.setdefault("teks" if isinstance(v, str) else "angka", []).append(y)
    if len(kinds) > 1:
        return [warning(row.source, f"{label}: satuan target berubah antar tahun (angka pada "
                                    f"{', '.join(map(str, kinds['angka']))}; teks pada {', '.join(map(str, kinds['teks']))})")]
    return []


# ---------------------------------------------------------------- the cascade tujuan -> sasaran -> program

def _sasaran_keys(s: m.IndicatorSet) -> str:
    return ", ".join(sa.kunci for t in s.tujuan for sa in t.sasaran) or "tidak ada"


def check_program_cascade(t: m.ProgramTable, indicators: m.IndicatorSet, in_pohon: bool = False) -> list[Finding]:
    """Each program names the sasaran it serves by key: known, and only one. `in_pohon`: a pohon
    kinerja is drawn from this table (a program without sasaran is left out of it)."""
    out: list[Finding] = []
    cascade = Cascade(indicators)
    for p in t.program:
        label = f"program {p.kode or p.nama}"
        keys = p.sasaran_keys
        for k in keys:
            if k not in cascade.sasaran:
                out.append(error(p.source_of("sasaran"), f"{label}: sasaran '{k}' {NOT_IN_INDIKATOR} "
                                                          f"(yang ada: {_sasaran_keys(indicators)})"))
        if len(keys) > 1:
            out.append(warning(p.source_of("sasaran"), f"{label} melayani {len(keys)} sasaran ({', '.join(keys)}); "
                                                        f"dicetak di bawah sasaran pertama '{keys[0]}'"))
        if p.penunjang and keys:
            out.append(warning(p.source_of("penunjang"), f"{label}: program penunjang dicetak pada kelompoknya "
                                                          f"sendiri; 'sasaran' diabaikan"))
        if not keys and cascade_form(t) and not supporting(p):
            out.append(warning(p.source, f"{label}: sasaran tidak disebut; dicetak tanpa tujuan dan sasaran "
                                         f"di akhir tabel" + ("; tidak tergambar di pohon kinerja" if in_pohon else "")))
    for u in (t.urusan, t.bidang_urusan):
        if u is not None and u.nama is None:
            if nomenklatur.load().get(u.kode) is None:
                out.append(error(u.source, f"kode urusan '{u.kode}' tidak ada di nomenklatur; tulis juga 'nama'"))
    if (t.tujuan is not None or t.sasaran is not None) and any(p.sasaran_keys for p in t.program):
        out.append(warning(t.source, "tabel menulis 'tujuan'/'sasaran' sebagai teks: kolom Tujuan dan Sasaran "
                                     "dicetak sebagai satu sel; 'sasaran' pada program diabaikan"))
    return out


def check_pohon(f: m.PerformanceTreeFigure, content: Content, drawn: list[pohon.Part] | None = None) -> list[Finding]:
    """A pohon kinerja can be drawn (its program table, tujuan), every sasaran has a program under
    it, and each printed part stays legible. Programs naming no sasaran are reported with their table."""
    known = [k for k, t in content.tables.items() if isinstance(t, m.ProgramTable)]
    listed = ", ".join(known) or "tidak ada"
    table = pohon.program_table(f, content.tables)
    if table is None:
        if f.tabel is not None:
            return [error(f.source_of("tabel"), f"pohon kinerja: '{f.tabel}' bukan tabel program-pendanaan "
                                                f"(yang ada: {listed})")]
        if known:
            return [error(f.source, f"pohon kinerja: ada {len(known)} tabel program-pendanaan ({listed}); "
                                    f"sebutkan salah satunya dengan 'tabel:'")]
        return [error(f.source, "pohon kinerja: tidak ada tabel program-pendanaan untuk digambar")]
    if not content.indicators.tujuan:
        return [error(f.source, "pohon kinerja: indikator.yaml tidak memuat tujuan dan sasaran")]
    if not cascade_form(table):
        return [error(table.source, f"pohon kinerja '{f.key}': program di tabel ini tidak menyebut 'sasaran' "
                                    f"(kunci sasaran di indikator.yaml), sehingga tidak dapat digambar di bawah sasarannya")]
    out: list[Finding] = []
    cascade = Cascade(content.indicators)
    served = {place.sasaran.kunci for p in table.program if (place := cascade.of_program(p)) is not None}
    for t in content.indicators.tujuan:
        for s in t.sasaran:
            if s.kunci not in served:
                out.append(warning(s.source, f"pohon kinerja '{f.key}': sasaran '{s.kunci}' tidak dilayani program "
                                             f"mana pun di tabel '{table.key}'"))
    fit = printed_size(content.identity.kertas, landscape=True)
    for part in drawn if drawn is not None else pohon.parts(f, content.tables, content.indicators, fit):
        if not part.legible(fit):
            what = f"bagian {part.label}" if part.label else "pohon utuh"
            hint = "tulis per_tujuan: true" if not part.label and len(content.indicators.tujuan) > 1 else \
                "gambarkan sampai program (sampai: program)" if f.sampai != "program" else "persingkat nama"
            out.append(warning(f.source, f"pohon kinerja: {what} terlalu lebar untuk satu halaman lanskap "
                                         f"(huruf sekitar {pohon.FONT_PT * part.scale(fit):.1f} pt, di bawah "
                                         f"{pohon.MIN_FONT_PT:g} pt); {hint}"))
    return out


def check_strategi(t: m.StrategiTable, indicators: m.IndicatorSet) -> list[Finding]:
    out = []
    cascade = Cascade(indicators)
    for r in t.baris:
        if r.kunci is not None and r.kunci not in cascade.sasaran:
            out.append(error(r.source_of("kunci"), f"sasaran '{r.kunci}' {NOT_IN_INDIKATOR} "
                                                   f"(yang ada: {_sasaran_keys(indicators)})"))
        if r.kunci is None and (r.tujuan is None or r.sasaran is None):
            out.append(error(r.source, "isi 'kunci' (sasaran di indikator.yaml) atau 'tujuan' dan 'sasaran'"))
    return out


def check_tujuan_sasaran(t: m.TujuanSasaranTable, indicators: m.IndicatorSet) -> list[Finding]:
    if t.tujuan is not None or t.sasaran is not None:
        return []
    cascade = Cascade(indicators)
    out = []
    for ref in t.indikator:
        record = indicators.get(ref.kunci)
        if record is not None and cascade.of_indicator(record) is None:
            out.append(warning(ref.source, f"indikator '{ref.kunci}' tidak menyebut sasaran/tujuannya di indikator.yaml: "
                                           f"dicetak tanpa tujuan dan sasaran di akhir tabel"))
    return out


# ---------------------------------------------------------------- other kinds

def check_rekap(t: m.RekapTable, r: Rekap) -> list[Finding]:
    out = []
    if (t.kelompok is None) == (t.rincian is None):
        return [error(t.source, "isi salah satu: 'kelompok' atau 'rincian'")]
    for g, raw in zip(r.groups, t.kelompok or []):
        if raw.jumlah_tertulis is not None and raw.jumlah_tertulis != (g.jumlah or 0):
            name = raw.uraian or f"kelompok {g.nomor}"
            out.append(warning(raw.source, f"{name}: jumlah tertulis {_fmt(raw.jumlah_tertulis)}, jumlah rincian {_fmt(g.jumlah)}"))
    if t.total_tertulis is not None and t.total_tertulis != (r.total or 0):
        out.append(warning(t.source, f"total tertulis {_fmt(t.total_tertulis)}, jumlah {_fmt(r.total)}"))
    return out


def check_capaian(t: m.CapaianTable, rows: list[CapaianRow]) -> list[Finding]:
    out = []
    for row in rows:
        ind = row.indikator
        out += _years_outside(ind, {"target": ind.target, "realisasi": ind.realisasi,
                                    "rasio tertulis": ind.rasio_tertulis}, t.tahun.years, ind.nama)
        for y, printed in ind.rasio_tertulis.items():
            computed = row.rasio.get(y)
            if isinstance(computed, str) or printed is None:
                continue
            if not _same(printed, computed):
                out.append(warning(ind.source_of("rasio_tertulis"), f"{ind.nama}, rasio {y}: tertulis {_fmt(printed)}, "
                                   f"dihitung {_at_printed_precision(printed, computed)} ({RUMUS_CAPAIAN[ind.arah]})"))
    return out


def check_anggaran(t: m.AnggaranTable, a: Anggaran) -> list[Finding]:
    out = []
    years = t.tahun.years
    for row, prog in zip(a.rows, t.program):
        out += _years_outside(prog, {"anggaran": prog.anggaran, "realisasi": prog.realisasi,
                                     "rasio tertulis": prog.rasio_tertulis}, years, prog.uraian)
        for y, printed in prog.rasio_tertulis.items():
            if printed is not None and not _same(printed, row.rasio.get(y)):
                out.append(warning(prog.source_of("rasio_tertulis"), f"{prog.uraian}, rasio {y}: tertulis {_fmt(printed)}, "
                                   f"dihitung {_at_printed_precision(printed, row.rasio.get(y))}"))
    printed = t.total_tertulis
    if printed:
        for what, values, computed in (("anggaran", printed.anggaran, a.total.anggaran),
                                       ("realisasi", printed.realisasi, a.total.realisasi)):
            for y, v in values.items():
                c = computed.get(y)
                if (v or Decimal(0)) != (c or Decimal(0)):
                    out.append(warning(printed.source_of(what), f"TOTAL {what} {y}: tertulis {_fmt(v)}, jumlah program {_fmt(c)}"))
        for y, v in printed.rasio.items():
            c = a.total.rasio.get(y)
            if v is not None and not _same(v, c):
                out.append(warning(printed.source_of("rasio"), f"TOTAL rasio {y}: tertulis {_fmt(v)}, "
                                   f"dihitung {_at_printed_precision(v, c)}"))
    return out


def check_angka(t: m.AngkaTable) -> list[Finding]:
    out = []
    for r in t.baris:
        if len(r.nilai) != len(t.kolom):
            out.append(error(r.source_of("nilai"), f"{r.uraian}: {len(r.nilai)} nilai, kolom ada {len(t.kolom)}"))
    if t.persen and not t.jumlah_kolom:
        out.append(error(t.source_of("persen"), "persen membutuhkan 'jumlah_kolom' (bagian dari jumlah seluruhnya)"))
    return out


def check_generic(t: m.GenericTable) -> list[Finding]:
    grid = generic_layout(t)
    out = []
    for what, rows, key in (("kepala", grid.header[:len(t.kepala)], "kepala"), ("baris", grid.body, "baris")):
        try:
            placements(rows, len(t.kolom))
        except ValueError as e:
            n = int(re.search(r"baris (\d+)", str(e)).group(1))
            line = locate(t._tree, (key, n - 1)) if t._tree is not None else t.line
            out.append(error(Source(t.source.file, line), f"{what} {n}: {str(e).split(': ', 1)[1]}"))
    if not out:
        for r, col, text in unnumbered_rows(grid):
            line = locate(t._tree, ("baris", r)) if t._tree is not None else t.line
            out.append(warning(Source(t.source.file, line),
                               f"baris {r + 1}: '{text}' tanpa nomor di kolom {col + 1}, padahal baris lain di kolom "
                               f"itu bernomor; tulis nomornya, kecuali dokumen aslinya memang mencetaknya tanpa nomor"))
    return out


_NUMBERING = re.compile(r"^\d+(\.\d+)*\.?$")  # 1. / 1.2 / 3.1.10


def unnumbered_rows(grid) -> list[tuple[int, int, str]]:
    """Rows of a generic table with an empty cell in a numbering column (nine in ten of its cells
    beside text are numbers like 3.1.4, at least three) beside text: (body row, column, text). A
    cell covered by a merge from above is not empty."""
    slots = placements(grid.body, len(grid.columns))
    out = []
    for col in range(len(grid.columns) - 1):
        numbered, blank = 0, []
        for r, row in enumerate(slots):
            here = {c: (cell, kind) for c, cell, kind in row}
            cell, kind = here[col]
            right, right_kind = here[col + 1]
            if kind != START or right_kind != START or not right.text.strip():
                continue
            if _NUMBERING.match(cell.text.strip()):
                numbered += 1
            elif not cell.text.strip():
                blank.append((r, col, " ".join(right.text.split())))
        if blank and numbered >= 3 and numbered >= 9 * len(blank):
            out += blank
    return sorted(out)


def check_indicator_refs(t: m.TableBase, content: Content, years: list[int]) -> list[Finding]:
    out = []
    end = years[-1]
    label = {"tujuan-sasaran": "Tabel tujuan dan sasaran", "indikator-kinerja": "Tabel indikator kinerja",
             "rumus-indikator": "Lampiran rumus", "iku": "Tabel IKU"}[t.jenis]
    for ref in t.indikator:
        record = content.indicators.get(ref.kunci)
        if record is None:
            known = ", ".join(i.kunci for i in content.indicators.indikator) or "tidak ada"
            out.append(error(ref.source, f"indikator '{ref.kunci}' {NOT_IN_INDIKATOR} (yang ada: {known})"))
            continue
        p = ref.tertulis
        if p is None:
            continue
        where = f"{label}, indikator '{record.nama}'"
        if p.nama is not None and p.nama.strip().lower() != record.nama.strip().lower():
            out.append(warning(p.source, f"{where}: nama tertulis '{p.nama}'"))
        if p.satuan is not None and p.satuan.strip().lower() != (record.satuan or "").strip().lower():
            out.append(warning(p.source, f"{where}: satuan tertulis '{p.satuan}', di indikator.yaml '{record.satuan}'"))
        for y, v in p.target.items():
            rv = record.target.get(y)
            if not _same_value(v, rv):
                out.append(warning(p.source, f"{where}, target {y}: tertulis {_fmt_value(v)}, di indikator.yaml {_fmt_value(rv)}"))
        if p.kondisi_awal is not None and not _same_value(p.kondisi_awal, record.kondisi_awal):
            out.append(warning(p.source, f"{where}, kondisi awal: tertulis {_fmt_value(p.kondisi_awal)}, "
                                         f"di indikator.yaml {_fmt_value(record.kondisi_awal)}"))
        akhir = kondisi_akhir(record.target, years, record.kondisi_akhir)
        agree = _same(p.kondisi_akhir, akhir) if isinstance(p.kondisi_akhir, Decimal) and not isinstance(akhir, str) \
            else _same_value(p.kondisi_akhir, akhir)
        if p.kondisi_akhir is not None and not agree:
            what = f"target {end}" if record.kondisi_akhir in ("akhir", "tetap") else f"{record.kondisi_akhir} target"
            out.append(warning(p.source, f"{where}, kondisi akhir: tertulis {_fmt_value(p.kondisi_akhir)}, "
                                         f"{what} {_fmt_value(akhir)}"))
    return out


def check_iku(t: m.IkuTable, indicators: m.IndicatorSet) -> list[Finding]:
    """An IKU table shows at least one indicator, each with its penanggung jawab."""
    shown = iku_records(t, indicators)
    if not shown:
        return [error(t.source, "tabel IKU tidak memuat indikator: sebut 'indikator' di tabel, tandai "
                                "'iku: true' di indikator.yaml, atau kaitkan indikator ke tujuan/sasaran")]
    return [warning(ind.source, f"indikator '{ind.kunci}' dicetak di tabel IKU '{t.key}' tanpa penanggung jawab "
                                f"(isi 'penanggung_jawab' di indikator.yaml)")
            for ind in shown if not ind.penanggung_jawab]


def _same_value(a, b) -> bool:
    """Printed and recorded values agree: equal numbers (15.0 == 15) or equal text."""
    return a == b


def _fmt_value(v) -> str:
    return v if isinstance(v, str) else _fmt(v)


def check_indicator_records(s: m.IndicatorSet, years: list[int]) -> list[Finding]:
    out = []
    sasaran = {sa.kunci for t in s.tujuan for sa in t.sasaran}
    tujuan = {t.kunci for t in s.tujuan}
    keys: dict[str, m.Node] = {}
    for node in [t for t in s.tujuan] + [sa for t in s.tujuan for sa in t.sasaran]:
        if node.kunci in keys:
            out.append(error(node.source, f"kunci tujuan/sasaran '{node.kunci}' dipakai dua kali "
                                          f"(pertama di baris {keys[node.kunci].line})"))
        keys.setdefault(node.kunci, node)
    seen: set[str] = set()
    for ind in s.indikator:
        if ind.kunci in seen:
            out.append(error(ind.source, f"kunci indikator '{ind.kunci}' dipakai dua kali"))
        seen.add(ind.kunci)
        if ind.sasaran and ind.sasaran not in sasaran:
            out.append(error(ind.source, f"indikator '{ind.kunci}': sasaran '{ind.sasaran}' tidak ada di daftar tujuan/sasaran"))
        if ind.tujuan and ind.tujuan not in tujuan:
            out.append(error(ind.source_of("tujuan"), f"indikator '{ind.kunci}': tujuan '{ind.tujuan}' tidak ada di daftar tujuan"))
        if ind.tujuan and ind.sasaran:
            out.append(warning(ind.source_of("tujuan"), f"indikator '{ind.kunci}' menyebut tujuan dan sasaran: "
                                                        f"dicetak di bawah sasaran '{ind.sasaran}'"))
        out += _years_outside(ind, {"target": ind.target}, years, f"indikator '{ind.kunci}'")
        if ind.rumus:
            try:
                parse_formula(ind.rumus)
            except FormulaError as e:
                out.append(error(ind.source_of("rumus"), f"indikator '{ind.kunci}': rumus tidak sah: {e}"))
        held = {v for v in ind.target.values() if v is not None}
        if ind.kondisi_akhir == "tetap" and len(held) > 1:
            out.append(warning(ind.source_of("kondisi_akhir"), f"indikator '{ind.kunci}': kondisi akhir 'tetap' tetapi "
                                                               f"target berbeda antar tahun; dipakai target {years[-1]}"))
        units = {type(v).__name__ for v in ind.target.values() if v is not None}
        if len(units) > 1:
            out.append(warning(ind.source, f"indikator '{ind.kunci}': satuan target berubah antar tahun (angka dan teks)"))
    return out
