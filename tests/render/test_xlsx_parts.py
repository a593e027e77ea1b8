"""The streamed workbook writer (render/xlsx.py, no openpyxl) writes every part of the package byte for
byte as the openpyxl-based writer did (a frozen copy of it: tests/render/xlsx_frozen.py): the default
content's Renstra and Renja workbooks, both fixtures' Renstra and a Renja year, synthetic N = 1,000."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from renstra_gen.render.package import read_parts
from tests.conftest import DEFAULT_CONTENT, FIXTURES, ROOT

KEY = bytes(range(32))  # a fixed record key: the record's HMAC is part of the compared bytes


def _workbook_args(content_dir: Path, year: int | None):
    """render_xlsx's arguments as workflows/build._render_workbook passes them."""
    from renstra_gen.render.xlsx_record import fingerprint
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES, load_all, prepare

    if year is None:
        plan = prepare(content_dir)
        title = f"Tabel {plan.identity.judul}"
        record = {"jenis": "renstra"}
    else:
        from renstra_gen.compose.renja import compose_renja
        from renstra_gen.compute.derived import derive

        content = load_all(content_dir)
        derived = derive(content.tables, content.identity.periode.years, content.indicators, content.lampiran)
        plan = compose_renja(content, year, DEFAULT_TEMPLATES, derived).plan
        title = f"RENCANA KERJA (RENJA) {plan.identity.perangkat_daerah.nama} TAHUN {year}"
        record = {"jenis": "renja", "tahun": year}
    grids = [(key, g) for key, g in plan.tables.items()] + [(g.key, g) for g in plan.lampiran]
    return (grids, plan.identity.kertas, DEFAULT_TEMPLATES / "tabel.xlsx"), dict(
        title=title, author=plan.identity.perangkat_daerah.nama,
        stamp=dt.datetime.combine(plan.identity.penetapan.tanggal, dt.time()),
        record=dict(record, konten=fingerprint(content_dir), kunci=KEY))


def assert_same_parts(content_dir: Path, year: int | None = None, record: bool = True,
                      template: Path | None = None) -> None:
    from renstra_gen.render.xlsx import render_xlsx
    from tests.render import xlsx_frozen

    args, kwargs = _workbook_args(content_dir, year)
    if not record:
        kwargs["record"] = None
    if template is not None:
        args = (args[0], args[1], template)
    old = read_parts(xlsx_frozen.render_xlsx(*args, **kwargs))
    new_bytes = render_xlsx(*args, **kwargs)
    new = read_parts(new_bytes)
    # the same parts; in the zip, the sheets come before the shared strings and styles made from them
    assert sorted(new) == sorted(old)
    assert list(new)[0] == "[Content_Types].xml"
    for name in old:
        assert new[name] == old[name], name
    assert new_bytes == render_xlsx(*args, **kwargs)  # deterministic


@pytest.mark.parametrize("name,year", [("default", None), ("default", 2024), ("minimal", None),
                                       ("minimal", 2027), ("dp3a", None), ("dp3a", 2026)])
def test_every_part_is_byte_identical_to_the_openpyxl_writer(name, year):
    assert_same_parts(DEFAULT_CONTENT if name == "default" else FIXTURES / name, year)


def test_without_the_record_too():
    assert_same_parts(FIXTURES / "dp3a", record=False)


def test_a_template_restyled_in_libreoffice_too():
    """An office may restyle tabel.xlsx in LibreOffice: its styles.xml and its custom properties part
    (tests/fixtures/templates/tabel-libreoffice.xlsx: templates/tabel.xlsx saved again by LibreOffice)."""
    template = FIXTURES / "templates" / "tabel-libreoffice.xlsx"
    assert_same_parts(FIXTURES / "dp3a", template=template)
    assert_same_parts(FIXTURES / "minimal", 2027, template=template)


def test_synthetic_n_1000_is_byte_identical(tmp_path):
    out = tmp_path / "content-1000"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_content.py"), "--sub-kegiatan", "1000",
                    "--out", str(out)], check=True, capture_output=True)
    assert_same_parts(out)


def test_importing_the_writer_does_not_import_openpyxl():
    code = "import sys, renstra_gen.render.xlsx; assert 'openpyxl' not in sys.modules, 'openpyxl'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_openpyxl_reads_the_template_only_on_a_cache_miss(tmp_path, monkeypatch):
    from renstra_gen.render import xlsx_styles
    from renstra_gen.render.xlsx import render_xlsx

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    args, kwargs = _workbook_args(FIXTURES / "minimal", None)
    xlsx_styles._base_of.cache_clear()
    first = render_xlsx(*args, **kwargs)  # a miss: openpyxl reads the template, the base is kept
    xlsx_styles._base_of.cache_clear()  # a new process
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # any import of openpyxl fails from here
    assert render_xlsx(*args, **kwargs) == first
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "other"))
    xlsx_styles._base_of.cache_clear()
    with pytest.raises(ImportError):  # the proof that the warm render above did not need it
        render_xlsx(*args, **kwargs)
    xlsx_styles._base_of.cache_clear()


def test_sheets_reach_the_package_as_chunks_of_rows(monkeypatch):
    """Nothing holds all rows of a sheet: each sheet is a generator of row batches, compressed as it goes."""
    from renstra_gen.render import xlsx

    args, kwargs = _workbook_args(FIXTURES / "dp3a", None)
    whole = xlsx.render_xlsx(*args, **kwargs)
    seen = {}
    real = xlsx.zip_parts

    def spy(parts, **kw):
        def counted(name, data):
            seen[name] = []
            for chunk in data:
                seen[name].append(len(chunk))
                yield chunk
        return real([(n, d if isinstance(d, bytes) else counted(n, d)) for n, d in parts], **kw)

    monkeypatch.setattr(xlsx, "zip_parts", spy)
    monkeypatch.setattr(xlsx._Sheet, "BATCH", 4)
    assert xlsx.render_xlsx(*args, **kwargs) == whole  # batches change nothing in the package
    sheets = {n: c for n, c in seen.items() if n.startswith("xl/worksheets/")}
    assert len(sheets) == len(args[0]) + 2  # every table sheet, the index and the record
    largest = max(sheets.values(), key=sum)
    assert len(largest) > 5 and max(largest) < sum(largest) / 3


def _variant(path: Path, variant: str) -> Path:
    """A tabel.xlsx restyled as an office might (as tools/make_xlsx_template.py makes ours, other looks)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    if variant == "warna":  # other fonts and colours, a number format, left-aligned headers
        body = Font(name="Calibri", size=10, italic=True, color="FF1F4E79")
        number = dict(font=Font(name="Calibri", size=10, color="FF1F4E79"), number_format="#,##0.00",
                      alignment=Alignment(horizontal="right", vertical="top"))
        head = Alignment(horizontal="left", vertical="top")
    else:  # "tebal": the body already bold, numbers indented
        body = Font(name="Arial", size=9, bold=True)
        number = dict(font=Font(name="Arial", size=9),
                      alignment=Alignment(horizontal="right", vertical="top", wrap_text=False, indent=1))
        head = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    wb.active.title = "Gaya"
    for st in [NamedStyle("Judul", font=Font(name="Arial", size=12, bold=True), alignment=Alignment(horizontal="center")),
               NamedStyle("Kepala", font=Font(name="Arial", size=9, bold=True), border=box,
                          fill=PatternFill("solid", fgColor="D9D9D9"), alignment=head),
               NamedStyle("Isi", font=body, border=box, alignment=Alignment(vertical="top", wrap_text=True)),
               NamedStyle("Angka", border=box, **number),
               NamedStyle("Sumber", font=Font(name="Arial", size=8, italic=True))]:
        wb.add_named_style(st)
    wb.properties.description, wb.properties.keywords = "Gaya kantor & <dinas>", "renstra"
    wb.save(path)
    return path


@pytest.mark.parametrize("variant", ["warna", "tebal"])
def test_a_restyled_template_too(tmp_path, variant):
    assert_same_parts(FIXTURES / "dp3a", template=_variant(tmp_path / "tabel.xlsx", variant))


def test_a_workbook_without_tables_still_shows_a_sheet():
    """openpyxl refused it (IndexError: at least one sheet must be visible); the index sheet shows instead."""
    from openpyxl import load_workbook
    import io

    from renstra_gen.render.xlsx import render_xlsx

    args, kwargs = _workbook_args(FIXTURES / "minimal", None)
    wb = load_workbook(io.BytesIO(render_xlsx([], args[1], args[2], **kwargs)))
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [("renstra", "visible"), ("renstra-asal", "hidden")]


def test_names_and_properties_with_characters_to_escape_and_repeated_sheet_names():
    import dataclasses

    from renstra_gen.render.package import read_parts as parts_of
    from renstra_gen.render.xlsx import render_xlsx
    from tests.render import xlsx_frozen

    args, kwargs = _workbook_args(FIXTURES / "minimal", None)
    grids = args[0]
    odd = dataclasses.replace(grids[0][1], label="Tab\tel \"x\" & 'y' <z>", number="1.1")
    grids = [(grids[0][0], odd), grids[1], grids[1], grids[2], grids[1]]  # "Tabel 2.1", "Tabel 2.11", ...
    kwargs.update(title="Judul\r& <b> \"c\"", author="Dinas O'Brien & Co")
    old = parts_of(xlsx_frozen.render_xlsx(grids, args[1], args[2], **kwargs))
    new = parts_of(render_xlsx(grids, args[1], args[2], **kwargs))
    assert sorted(new) == sorted(old) and all(new[n] == old[n] for n in old)
