"""Reads an edited workbook back into the content files: no edit lost, none invented, all or nothing.

Every workbook the tool writes (Renstra and Renja) carries a hidden record of each cell as built and,
for a cell that shows one content value, where that value is written (render/xlsx_record.py). An
import compares three things for every cell: the record (the base), the workbook (the planner's
edit) and the current content (a colleague's edit since). A cell the planner changed is
- written back when it shows a content value (names, indicators, units, lokasi, targets, leaf
  pagu) that the content still holds as built;
- a conflict when the content changed that value too (nothing written unless `force`);
- a finding named `Sheet!Cell` otherwise (formulas, computed values, codes, headers, cells typed
  outside the table).
Every value is validated (kind, finite, range) and the edited content is loaded and checked in full
before anything is written; then the files are replaced together (atomic.replace_files), each
changed only on the lines of its changed values (yamlio.edit_yaml).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from renstra_gen.system.atomic import locked, recover, replace_files
from renstra_gen.errors import ContentError, error, Finding, RenstraError, Source
from renstra_gen.numbers import angka, nilai
from renstra_gen.content.xlsxguard import check_workbook_limits
from renstra_gen.content.yamlio import edit_yaml
from renstra_gen.system.pesan import reason
from renstra_gen.content.angka_id import baca, tampak_angka, utuh

#: The largest magnitude a workbook value may have: Excel keeps 15 significant digits exactly.
LIMIT = Decimal(10) ** 15


@dataclass
class Change:
    file: str
    what: str  # "1.06.05.2.01.01 pagu 2024"
    old: object
    new: object
    where: str = ""  # "Tabel 6.2!K14"

    def __str__(self) -> str:
        at = f" ({self.where})" if self.where else ""
        return f"{self.what}: {_show(self.old)} → {_show(self.new)}{at}"


@dataclass
class ImportResult:
    changes: list[Change]
    content_changed: bool  # the content differs from what the workbook was built from
    written: bool = False
    forced: list[Change] = field(default_factory=list)  # conflicts decided for the workbook (--paksa)


def _show(v) -> str:
    if v is None:
        return "-"
    return nilai(v) if isinstance(v, Decimal) else str(v)


def import_xlsx(workbook: Path, content_dir: Path, write: bool = True, force: bool = False) -> ImportResult:
    """Apply the workbook's edits to the content; ContentError with every finding (nothing written) on error."""
    content_dir = Path(content_dir)
    recover(content_dir)
    wb = _open(workbook)
    with locked(content_dir):  # from reading the content to writing it: no colleague's import in between
        return _import(wb, Source(str(workbook)), content_dir, write, force)


def _import(wb, where: Source, content_dir: Path, write: bool, force: bool) -> ImportResult:
    from renstra_gen.render.xlsx_record import RecordError, content_key, fingerprint, origins, read_record

    try:
        header, record = read_record(wb, content_key(content_dir))
    except RecordError as e:
        raise ContentError([error(Source(e.where), f"buku kerja ini tidak dapat dibaca kembali ({e}); "
                                                   f"susun ulang dengan renstra build lalu ulangi perubahannya")]) from None
    except ValueError as e:  # the content's key file itself
        raise ContentError([error(Source(str(content_dir)), f"{e}")]) from None
    findings: list[Finding] = []
    _check_index(wb, record.get("indeks", []), findings)
    findings += _hidden_sheets(wb, record["lembar"])
    current, assigned = _current(content_dir, header, _sheets_of(record["indeks"]))
    # Conflicts are judged against the content's own history: when the content is the one the
    # workbook was built from (same fingerprint), the base of every cell is the content's value now;
    # when it changed since, the base is the value of the commit holding the built content (git),
    # and only without one the record's (authenticated) value.
    unchanged = header.get("konten") == fingerprint(content_dir)
    history = None if unchanged else _history(content_dir, header, sheets=_sheets_of(record["indeks"]))
    edits: dict[tuple, tuple[object, Change]] = {}  # (file, path) -> (value, change)
    forced: list[Change] = []
    for sheet, recorded in record.get("lembar", {}).items():
        if sheet not in wb.sheetnames:
            findings.append(error(where, f"lembar '{sheet}' tidak ada (diganti nama atau dihapus)"))
            continue
        ws = wb[sheet]
        known = set()
        for ref, kind, base, origin in origins(recorded):
            known.add(ref)
            got = _read(ws[ref].value)
            if _equal((kind, base), got):
                continue
            at = Source(f"{sheet}!{ref}")
            if origin is None:
                findings.append(error(at, _not_an_input(kind, base, got)))
                continue
            if _is_hidden(ws, ref):
                findings.append(error(at, "sel di baris atau kolom tersembunyi diubah; tampilkan baris/kolomnya "
                                          "dan periksa perubahan itu, atau ubah di berkas konten"))
                continue
            file, path, value_kind, row = origin[0], tuple(origin[1]), origin[2], origin[3]
            if assigned.get((sheet, ref)) != (file, path):
                findings.append(error(at, f"sel ini tidak menampilkan {_describe(path, row)} dari {file} menurut "
                                          f"konten sekarang; tidak diimpor. Susun ulang buku kerja lalu ulangi "
                                          f"perubahannya"))
                continue
            try:
                new = _value(value_kind, got)
            except ValueError as e:
                findings.append(error(at, str(e)))
                continue
            now = current.get((file, path))
            if now is None or now[2] != row:
                findings.append(error(at, f"baris '{row}' tidak ada lagi di {file} pada tempat yang sama; "
                                          f"susun ulang buku kerja lalu ulangi perubahannya"))
                continue
            old = _as_value(now[0], now[1])
            if _same(new, old):
                continue  # the content already holds the workbook's value
            if history is not None and (file, path) in history:
                kind, base = history[(file, path)][:2]  # the base from the content's own history
                if _equal((kind, base), got):
                    continue  # not edited in the workbook: the content's later value stays
            change = Change(file, _describe(path, row), old, new, f"{sheet}!{ref}")
            if not unchanged and not _same(_as_value(kind, base), old):  # changed in the content too since the build
                if not force:
                    findings.append(error(at, f"konflik: {change.what} diubah di buku kerja menjadi {_show(new)} "
                                              f"dan di {file} menjadi {_show(old)} (semula {_show(_as_value(kind, base))}); "
                                              f"ubah salah satunya, atau pakai --paksa untuk nilai buku kerja"))
                    continue
                forced.append(change)
            key = (file, path)
            if key in edits and not _same(edits[key][0], new):
                findings.append(error(at, f"{change.what} juga diubah di {edits[key][1].where} dengan nilai lain "
                                          f"({_show(edits[key][0])})"))
                continue
            edits[key] = (new, change)
        findings += _outside(ws, known)
    if any(f.is_error for f in findings):
        raise ContentError(findings)
    changes = [c for _, c in edits.values()]
    texts = _edited_texts(content_dir, edits)
    _validate(content_dir, texts)
    result = ImportResult(changes, header.get("konten") != fingerprint(content_dir), forced=forced)
    if write and texts:
        replace_files(content_dir, {content_dir / rel: text.encode("utf-8") for rel, text in texts.items()})
        result.written = True
    return result


def _open(workbook: Path):
    from openpyxl import load_workbook

    check_workbook_limits(workbook)  # size, parts, cells: before any parser sees the file
    try:
        return load_workbook(workbook, data_only=False)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise ContentError([error(Source(str(workbook)), f"bukan buku kerja .xlsx yang dapat dibaca ({reason(e)})")]) from e


def _check_index(wb, index: list, findings: list[Finding]) -> None:
    from renstra_gen.render.xlsx_cells import INDEX_SHEET

    if INDEX_SHEET not in wb.sheetnames:
        findings.append(error(Source(INDEX_SHEET), f"lembar indeks '{INDEX_SHEET}' dihapus"))
        return
    ws = wb[INDEX_SHEET]
    expected = dict((ref, v) for ref, v in index)
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and c.coordinate not in expected:
                expected.setdefault(c.coordinate, None)
    for ref, v in expected.items():
        if ws[ref].value != v:
            findings.append(error(Source(f"{INDEX_SHEET}!{ref}"), f"lembar indeks diubah (tertulis {ws[ref].value!r}, "
                                                                  f"seharusnya {v!r}); jangan ubah lembar ini"))


def _history(content_dir: Path, header: dict, sheets: dict[str, str]) -> dict[tuple, tuple] | None:
    """(file, path) -> (kind, value, row) of the content the workbook was built from, from git; None if not found."""
    from renstra_gen.workflows.history import built_content

    try:
        with built_content(content_dir, header["konten"]) as folder:
            return None if folder is None else _current(folder, header, sheets)[0]
    except (RenstraError, OSError):
        return None  # that version no longer loads (or git fails): the record's authenticated values


def _sheets_of(index: list) -> dict[str, str]:
    """table key -> sheet title, from the recorded index sheet (columns A sheet, B table key)."""
    from openpyxl.utils.cell import coordinate_from_string

    rows: dict[int, dict[str, object]] = {}
    for ref, value in index:
        letter, row = coordinate_from_string(ref)
        rows.setdefault(row, {})[letter] = value
    return {str(r["B"]): str(r["A"]) for n, r in rows.items() if n > 1 and r.get("A") and r.get("B")}


def _hidden_sheets(wb, recorded: dict) -> list[Finding]:
    """Sheets the tool did not write, and written sheets someone hid: findings."""
    from renstra_gen.render.xlsx_cells import INDEX_SHEET
    from renstra_gen.render.xlsx_record import RECORD_SHEET

    out = []
    for ws in wb.worksheets:
        if ws.title in (INDEX_SHEET, RECORD_SHEET):
            continue
        if ws.title not in recorded:
            out.append(error(Source(f"{ws.title}!A1"), "lembar ini tidak ditulis oleh renstra-gen; hapus lembar itu "
                                                       "(isinya tidak dibaca kembali ke konten)"))
        elif ws.sheet_state != "visible":
            out.append(error(Source(f"{ws.title}!A1"), "lembar ini disembunyikan; tampilkan kembali dan periksa "
                                                       "isinya sebelum mengimpor"))
    return out


def _is_hidden(ws, ref: str) -> bool:
    from openpyxl.utils.cell import coordinate_from_string

    letter, row = coordinate_from_string(ref)
    col = ws.column_dimensions.get(letter) if letter in ws.column_dimensions else None
    hidden_col = bool(col is not None and col.hidden)
    if not hidden_col:  # a hidden range of columns is stored on its first column (min..max)
        from openpyxl.utils import column_index_from_string

        index = column_index_from_string(letter)
        hidden_col = any(d.hidden and d.min and d.max and d.min <= index <= d.max
                         for d in ws.column_dimensions.values())
    r = ws.row_dimensions.get(row) if row in ws.row_dimensions else None
    return hidden_col or bool(r is not None and r.hidden)


def _current(content_dir: Path, header: dict, sheets: dict[str, str]) -> tuple[dict[tuple, tuple], dict[tuple, tuple]]:
    """What the current content shows: (file, path) -> (kind, value, row) of every input cell, and
    (sheet, ref) -> (file, path): the origin the current content assigns to each visible cell."""
    from renstra_gen.workflows.build import prepare
    from renstra_gen.grid import START, placements
    from renstra_gen.render.xlsx_cells import cell_ref as _ref
    from renstra_gen.render.xlsx_record import written

    if header.get("jenis") == "renja":
        grids = _renja_grids(content_dir, int(header.get("tahun", 0)))
    else:
        plan = prepare(content_dir)
        grids = list(plan.tables.items()) + [(g.key, g) for g in plan.lampiran]
    out = {}
    assigned = {}
    for key, grid in grids:
        for row in grid.body:
            for cell in row:
                if cell.origin is not None:
                    kind, value = written(cell, False)
                    out[(cell.origin.file, tuple(cell.origin.path))] = (kind, value, cell.origin.row)
        # where render.xlsx puts each body cell (title, blank, preamble + blank, header, body)
        header_start = 3 + len(grid.preamble) + (1 if grid.preamble else 0)
        sheet = sheets.get(key)  # the sheet the (authenticated) index gives this table
        if sheet is None:
            continue
        slots = placements(grid.header + grid.body, len(grid.columns))
        for r in range(len(grid.header), len(slots)):
            for col, cell, kind in slots[r]:
                if kind == START and cell.origin is not None:
                    assigned[(sheet, _ref(header_start + r, col))] = (cell.origin.file, tuple(cell.origin.path))
    return out, assigned


def _renja_grids(content_dir: Path, year: int):
    from renstra_gen.workflows.build import plan_content
    from renstra_gen.compute.renja import renja_year
    from renstra_gen.compute.renja_tabel import usulan
    from renstra_gen.layout.renja import layout_rencana
    from renstra_gen.layout.renja_tabel import layout_usulan
    from renstra_gen.content.load import load_content
    from renstra_gen.compose.renja import _program_table, load_inputs

    content = load_content(content_dir)
    plan = plan_content(content)  # the Renstra must be sound before its Renja is edited
    if year not in content.identity.periode.years:
        raise ContentError([error(content.identity.source_of("periode"), f"tahun {year} buku kerja Renja di luar periode Renstra")])
    matrix = plan.derived.get(_program_table(content).key)
    inputs, rel = load_inputs(content, year, [])
    return [("rencana", layout_rencana(renja_year(matrix, year, inputs), "")),
            ("usulan", layout_usulan(usulan(inputs.usulan, inputs.usulan_masyarakat, matrix), "", rel))]


# ---------------------------------------------------------------- cell values


def _read(v) -> tuple[str, object]:
    """(kind, value) of a cell as openpyxl gives it: f formula, n number, t text, e empty, d date, b truth value."""
    if v is None:
        return "e", None
    if isinstance(v, bool):
        return "b", v
    if isinstance(v, (int, float)):
        return "n", v
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return "d", v
    if isinstance(v, str):
        if v.startswith("="):
            return "f", v
        if not v.strip():
            return "e", None
        return "t", v.replace("\r\n", "\n")
    return "f", str(getattr(v, "text", v))  # array and data-table formulas


def _equal(recorded: tuple[str, object], got: tuple[str, object]) -> bool:
    kind, base = recorded
    got_kind, value = got
    if kind == "n" and got_kind == "n":
        # to 15 significant digits: LibreOffice saves no more (Excel keeps the 17 we write)
        try:
            return "%.15g" % float(Decimal(base)) == "%.15g" % float(value)
        except (InvalidOperation, OverflowError, ValueError):
            return False
    return (kind, base) == (got_kind, value)


def _as_value(kind: str, value):
    """A recorded or current cell as the content value it shows (Decimal, text or None)."""
    if kind == "n":
        return Decimal(value)
    if kind == "t" and value != "-":  # "-" is the document's empty value
        return value
    return None


def _same(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return type(a) is type(b) and a == b


def _number_text(text: str, rupiah: bool = False) -> Decimal | None:
    """A number typed as text, read the Indonesian way (angka_id: 1.500.000, 85,5, Rp 1.500.000),
    or in a form no Indonesian number takes (1e28, NaN); None if the text is not a number at all.
    AngkaError (a ValueError) when it is written as a number but cannot be read without guessing."""
    t = text.strip()
    if tampak_angka(t):
        return baca(t, rupiah=rupiah)
    try:
        float(t.replace(" ", ""))
    except ValueError:
        return None
    return Decimal(t.replace(" ", ""))


def _checked(n: Decimal, minimum: Decimal | None) -> Decimal:
    if not n.is_finite():
        raise ValueError(f"harus berupa angka terhingga, tertulis {n}")
    if abs(n) >= LIMIT:
        raise ValueError(f"angka {n} terlalu besar (paling banyak 15 digit)")
    if minimum is not None and n < minimum:
        raise ValueError(f"tidak boleh negatif, tertulis {nilai(n)}")
    return n


def _value(kind: str, got: tuple[str, object]):
    """The content value an edited input cell asks for, validated; ValueError with the message."""
    got_kind, v = got
    if got_kind == "d":
        raise ValueError(f"berisi tanggal/waktu ({v}), padahal seharusnya "
                         f"{'angka' if kind in ('pagu', 'target') else 'teks'}; ubah format sel menjadi angka/teks")
    if got_kind == "b":
        raise ValueError(f"berisi nilai benar/salah ({'TRUE' if v else 'FALSE'}), padahal seharusnya angka atau teks")
    if got_kind == "f":
        raise ValueError(f"berisi rumus {v!r}, padahal seharusnya nilai yang diisi")
    if got_kind == "n":
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"harus berupa angka terhingga, tertulis {v}")
        number = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if kind in ("pagu", "target"):
        if got_kind == "e" or (got_kind == "t" and v.strip() == "-"):
            return None
        if got_kind == "t":
            number = _number_text(v, rupiah=kind == "pagu")
            if number is None:
                if kind == "target":
                    return v.strip()  # a target may be text ("Belum ada capaian")
                raise ValueError(f"harus berupa angka, tertulis {v!r}")
        if kind == "pagu" and number.is_finite() and number != number.to_integral_value():
            raise ValueError(f"pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis {nilai(number, 15)}; "
                             f"tulis misalnya {angka(utuh(number))}")
        return _checked(number, Decimal(0) if kind == "pagu" else None)
    # text
    if got_kind == "e":
        if kind == "teks":
            raise ValueError("wajib diisi")
        return None
    text = v.strip() if got_kind == "t" else format(number.normalize(), "f")
    if kind == "teks?" and text == "-":
        return None
    return text


def _not_an_input(kind: str, base, got: tuple[str, object]) -> str:
    shown = repr(got[1]) if got[1] is not None else "kosong"
    if kind == "f":
        return f"sel rumus diubah menjadi {shown}; ubah rinciannya, bukan jumlahnya"
    return (f"sel ini tidak dibaca kembali ke konten (semula {base!r}, sekarang {shown}); "
            f"ubah di berkas konten lalu susun ulang")


def _outside(ws, known: set[str]) -> list[Finding]:
    """Cells typed outside what the workbook was built with (an added row or column)."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and c.coordinate not in known and _read(c.value)[0] != "e":
                out.append(error(Source(f"{ws.title}!{c.coordinate}"),
                                 f"sel di luar isi tabel diisi ({c.value!r}); baris atau kolom ditambah di "
                                 f"berkas konten, bukan di buku kerja"))
    return out


def _describe(path: tuple, row: str) -> str:
    tail = [str(p) for p in (path[-2:] if isinstance(path[-1], int) else path[-1:])]
    who = f"indikator {row}" if path[0] == "indikator" else row
    return " ".join([who, *tail]) if who else " ".join(tail)


# ---------------------------------------------------------------- writing


def _edited_texts(content_dir: Path, edits: dict[tuple, tuple[object, Change]]) -> dict[str, str]:
    by_file: dict[str, list] = {}
    for (file, path), (value, _) in edits.items():
        by_file.setdefault(file, []).append((path, value))
    texts = {}
    for file, items in sorted(by_file.items()):
        raw = (content_dir / file).read_bytes().decode("utf-8")
        bom = "\ufeff" if raw.startswith("\ufeff") else ""
        try:
            new = bom + edit_yaml(raw[len(bom):], items)
        except (KeyError, TypeError, ValueError) as e:
            raise ContentError([error(Source(file), f"perubahan tidak dapat ditulis ke berkas ini ({e})")]) from e
        if new != raw:
            texts[file] = new
    return texts


def _validate(content_dir: Path, texts: dict[str, str]) -> None:
    """Load and check a copy of the content with the edits: any error and nothing is written."""
    if not texts:
        return
    from renstra_gen.workflows.build import prepare

    from renstra_gen.system.scratch import scratch_dir

    with scratch_dir("impor") as tmp:  # removed on every exit, SIGTERM too; a killed run's by the next
        copy = tmp / "konten"
        shutil.copytree(content_dir, copy, ignore=shutil.ignore_patterns(".*"))
        for rel, text in texts.items():
            (copy / rel).unlink(missing_ok=True)
            (copy / rel).write_text(text, encoding="utf-8", newline="")
        try:
            prepare(copy)
        except ContentError as e:
            raise ContentError([error(f.source, f"setelah impor: {f.message}") for f in e.findings if f.is_error]) from e
        except RenstraError:
            raise
