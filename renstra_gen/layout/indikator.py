"""Tables drawn from the indicator records: T-C.25 (4.1), T-C.26 (5.1), T-C.28 (7.1), the IKU table, Lampiran rumus."""

from __future__ import annotations

from renstra_gen.content import model as m
from renstra_gen.compute.cascade import Cascade, in_cascade_order
from renstra_gen.compute.period import kondisi_akhir
from renstra_gen.grid import Cell, Formula, Grid, Origin, column_numbers
from renstra_gen.compute.derived import Derived
from renstra_gen.layout.cascade import Span, cascade_cells
from renstra_gen.narrative.document import plain_formula
from renstra_gen.numbers import nilai


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def _v(v, origin: Origin | None = None) -> Cell:
    return Cell(nilai(v), align="center", value=v if not isinstance(v, str) else None, origin=origin)


def _origin(ind: m.Indikator, derived: Derived, *field, kind: str = "target") -> Origin:
    """Where a value of an indicator record is written (indikator.yaml, its place in the list)."""
    index = next(i for i, x in enumerate(derived.indicators.indikator) if x is ind)
    return Origin(ind.source.file, ("indikator", index) + field, kind, ind.kunci)


def records(refs: list[m.IndicatorRef], derived: Derived) -> list[m.Indikator]:
    """The indicator records a table lists, in its order (unknown keys are reported by check)."""
    found = [derived.indicators.get(r.kunci) for r in refs]
    return [i for i in found if i is not None]


def layout_tujuan_sasaran(table: m.TujuanSasaranTable, derived: Derived) -> Grid:
    years = derived.years
    inds = records(table.indikator, derived)
    header = [
        [_h("Tujuan", rowspan=2), _h("Sasaran", rowspan=2), _h("Indikator Sasaran", rowspan=2),
         _h("Satuan", rowspan=2), _h("Target Kinerja", len(years))],
        [_h(str(y)) for y in years],
        column_numbers(4 + len(years)),
    ]
    if table.tujuan is None and table.sasaran is None:
        # the cascade form: each indicator under its own tujuan and sasaran, in indikator.yaml's order
        cascade = Cascade(derived.indicators)
        placed = in_cascade_order(inds, cascade.of_indicator)
        inds = [ind for ind, _ in placed]
        lead = cascade_cells([Span.of(place, 1) for _, place in placed])
    else:
        file = table.source.file
        lead = [[Cell(table.tujuan or "", rowspan=len(inds), origin=Origin(file, ("tujuan",), "teks?")),
                 Cell(table.sasaran or "", rowspan=len(inds), origin=Origin(file, ("sasaran",), "teks?"))]] \
            + [[] for _ in inds[1:]]
    body = []
    for ind, row in zip(inds, lead):
        body.append(row + [Cell(ind.nama, origin=_origin(ind, derived, "nama", kind="teks")),
                           Cell(ind.satuan or "", align="center", origin=_origin(ind, derived, "satuan", kind="teks?"))]
                    + [_v(ind.target.get(y), _origin(ind, derived, "target", y)) for y in years])
    widths = [2.2, 2.2, 3.6, 1.3] + [1] * len(years)
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", font_size=9)


def layout_strategi(table: m.StrategiTable, derived: Derived | None = None) -> Grid:
    has_policy = any(r.kebijakan for r in table.baris)
    header = [[_h("Tujuan"), _h("Sasaran"), _h("Strategi")] + ([_h("Arah Kebijakan")] if has_policy else [])]
    rows = table.baris
    if any(r.kunci for r in rows) and derived is not None:
        # the cascade form: rows in cascade order, Tujuan and Sasaran merged over the rows they cover
        cascade = Cascade(derived.indicators)
        placed = in_cascade_order(rows, lambda r: cascade.sasaran.get(r.kunci) if r.kunci else None)
        rows = [r for r, _ in placed]
        lead = cascade_cells([Span.of(place, 1) if place is not None or not (r.tujuan or r.sasaran)
                              else Span((r.tujuan, r.tujuan or ""), (f"{r.tujuan}/{r.sasaran}", r.sasaran or ""), 1)
                              for r, place in placed])
    else:
        lead = [[Cell(r.tujuan or ""), Cell(r.sasaran or "")] for r in rows]
    body = []
    for r, cells in zip(rows, lead):
        row = cells + [Cell("\n".join(r.strategi))]
        if has_policy:
            row.append(Cell("\n".join(r.kebijakan)))
        body.append(row)
    preamble = []
    if table.visi:
        preamble.append(f"VISI : \u201c{table.visi}\u201d")
    if table.misi:
        preamble.append("MISI :")
        preamble += [f"{i}. {t}" for i, t in enumerate(table.misi, 1)]
    widths = [1, 1, 1.4] + ([1.4] if has_policy else [])
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", preamble=preamble)


def layout_indikator_kinerja(table: m.IndikatorKinerjaTable, derived: Derived) -> Grid:
    years = table.tahun.years
    inds = records(table.indikator, derived)
    header = [
        [_h("No", rowspan=2), _h("Indikator", rowspan=2), _h("Kondisi Kinerja pada Awal Periode RPJMD", rowspan=2),
         _h("Target Capaian Setiap Tahun", len(years)), _h("Kondisi Kinerja pada Akhir Periode RPJMD", rowspan=2)],
        [_h(str(y)) for y in years],
        column_numbers(4 + len(years)),
    ]
    body = []
    for i, ind in enumerate(inds, 1):
        with_unit = ind.satuan and ind.satuan.lower() not in ind.nama.lower()
        name = Cell(f"{ind.nama} ({ind.satuan})") if with_unit else Cell(ind.nama, origin=_origin(ind, derived, "nama", kind="teks"))
        body.append([Cell(str(i), align="center"), name, _v(ind.kondisi_awal, _origin(ind, derived, "kondisi_awal"))]
                    + [_v(ind.target.get(y), _origin(ind, derived, "target", y)) for y in years]
                    + [_v(kondisi_akhir(ind.target, derived.years, ind.kondisi_akhir))])
    widths = [0.6, 4, 1.6] + [1] * len(years) + [1.6]
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", font_size=9)


def layout_rumus(table: m.RumusTable, derived: Derived) -> Grid:
    header = [[_h("No"), _h("Indikator"), _h("Rumus"), _h("Keterangan")]]
    body = []
    for i, ind in enumerate(records(table.indikator, derived), 1):
        body.append([
            Cell(str(i), align="center"),
            Cell(ind.nama),
            Cell("", math=ind.rumus, align="center") if ind.rumus else Cell("-", align="center"),
            Cell(ind.keterangan or "", markdown=True),
        ])
    return Grid(table.key, table.judul, list(table.lebar), header, body, table.sumber,
                landscape=table.orientasi == "lanskap", label="Lampiran", font_size=9)


def iku_records(table: m.IkuTable, indicators: m.IndicatorSet) -> list[m.Indikator]:
    """The indicators an IKU table shows: those it lists, in its order; else those marked `iku: true`,
    else every indicator of a tujuan or sasaran, both in cascade order."""
    if table.indikator:
        found = [indicators.get(r.kunci) for r in table.indikator]
        return [i for i in found if i is not None]
    cascade = Cascade(indicators)
    marked = [i for i in indicators.indikator if i.iku]
    chosen = marked or [i for i in indicators.indikator if cascade.of_indicator(i) is not None]
    return [ind for ind, _ in in_cascade_order(chosen, cascade.of_indicator)]


def _definisi(ind: m.Indikator, derived: Derived) -> Cell:
    """Definisi Operasional / Formulasi: the record's `definisi`, then where its formula is printed
    (the rumus-indikator Lampiran and its row), else the formula itself."""
    origin = _origin(ind, derived, "definisi", kind="teks?")
    if not ind.rumus:
        return Cell(ind.definisi or "-", origin=origin)
    where = derived.rumus_lampiran.get(ind.kunci)
    if where is None and not ind.definisi:
        return Cell("", math=ind.rumus, align="center")
    if where is not None:
        formula = f"Formulasi: Lampiran {where[0]} nomor {where[1]}"
    else:
        formula = f"Formulasi: {plain_formula(ind.rumus)}"
    return Cell("\n".join(t for t in (ind.definisi, formula) if t))


def layout_iku(table: m.IkuTable, derived: Derived) -> Grid:
    """Indikator Kinerja Utama: No | IKU | Definisi/Formulasi | Satuan | Kondisi Awal | targets per
    year | Kondisi Akhir | (Sumber Data) | Penanggung Jawab."""
    years = derived.years
    inds = iku_records(table, derived.indicators)
    base_year = table.tahun_kondisi_awal or years[0] - 1
    sumber = any(i.sumber_data for i in inds)
    header = [
        [_h("No", rowspan=2), _h("Indikator Kinerja Utama", rowspan=2),
         _h("Definisi Operasional / Formulasi", rowspan=2), _h("Satuan", rowspan=2),
         _h(f"Kondisi Awal ({base_year})", rowspan=2), _h("Target Kinerja", len(years)),
         _h(f"Kondisi Akhir ({years[-1]})", rowspan=2)]
        + ([_h("Sumber Data", rowspan=2)] if sumber else []) + [_h("Penanggung Jawab", rowspan=2)],
        [_h(str(y)) for y in years],
        column_numbers(7 + len(years) + (1 if sumber else 0)),
    ]
    first = 5  # grid column of the first year's target
    body = []
    for r, ind in enumerate(inds):
        akhir = kondisi_akhir(ind.target, years, ind.kondisi_akhir)
        end = _v(akhir)
        if ind.kondisi_akhir == "kumulatif" and akhir is not None and not isinstance(akhir, str):
            end.formula = Formula("sum", tuple((r, first + i) for i in range(len(years))))
        body.append([Cell(str(r + 1), align="center"), Cell(ind.nama, origin=_origin(ind, derived, "nama", kind="teks")),
                     _definisi(ind, derived),
                     Cell(ind.satuan or "", align="center", origin=_origin(ind, derived, "satuan", kind="teks?")),
                     _v(ind.kondisi_awal, _origin(ind, derived, "kondisi_awal"))]
                    + [_v(ind.target.get(y), _origin(ind, derived, "target", y)) for y in years]
                    + [end]
                    + ([Cell(ind.sumber_data or "", origin=_origin(ind, derived, "sumber_data", kind="teks?"))]
                       if sumber else [])
                    + [Cell(ind.penanggung_jawab or "", origin=_origin(ind, derived, "penanggung_jawab", kind="teks?"))])
    widths = [0.5, 3, 3.2, 1.1, 1.1] + [0.9] * len(years) + [1.1] + ([1.6] if sumber else []) + [2]
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", font_size=9)
