"""Reads edited matrices back from the workbook into the content files (ruamel.yaml round trip).

Read back: the leaf targets and pagu of the program table (T-C.27) and the yearly targets of the
indicators (the indicator-kinerja table, T-C.28). Every problem is a finding named by sheet and
cell ("Tabel 6.2!K14"); if there is any error, no file is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from ruamel.yaml import YAML

from renstra_gen import model as m
from renstra_gen.build import prepare, write_atomically
from renstra_gen.compute.program import ProgramMatrix
from renstra_gen.errors import ContentError, Finding, Source, error
from renstra_gen.layout.program import body_rows, first_year_col
from renstra_gen.numbers import nilai
from renstra_gen.render.xlsx import INDEX_SHEET
from renstra_gen.xlsxguard import check_workbook_limits


@dataclass
class Change:
    file: str
    what: str  # "1.06.05.2.01.01 pagu 2024"
    old: object
    new: object

    def __str__(self) -> str:
        return f"{self.what}: {_show(self.old)} → {_show(self.new)}"


def _show(v) -> str:
    if v is None:
        return "-"
    return nilai(v) if isinstance(v, Decimal) else str(v)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def import_xlsx(workbook: Path, content_dir: Path, write: bool = True) -> list[Change]:
    """Apply the workbook's edits to the content; returns the changes (nothing written on error)."""
    check_workbook_limits(workbook)  # size, parts, cells: before any parser sees the file
    plan = prepare(Path(content_dir))
    try:
        wb = load_workbook(workbook, data_only=False)
    except Exception as e:  # openpyxl raises several kinds for a file that is not a workbook
        raise ContentError([error(Source(str(workbook)), f"bukan buku kerja .xlsx yang dapat dibaca: {e}")]) from e
    if INDEX_SHEET not in wb.sheetnames:
        raise ContentError([error(Source(str(workbook)), "buku kerja ini tidak dibuat oleh renstra build (lembar 'renstra' tidak ada)")])
    index = {row[1]: (row[0], int(row[2]), int(row[3])) for row in wb[INDEX_SHEET].iter_rows(min_row=2, values_only=True) if row[0]}
    findings: list[Finding] = []
    edits: dict[str, list[tuple[tuple, object, Change]]] = {}  # file -> (yaml path, value, change)
    for key, table in plan.content.tables.items():
        if key not in index:
            continue
        sheet, first, count = index[key]
        if sheet not in wb.sheetnames:
            findings.append(error(Source(str(workbook)), f"lembar '{sheet}' tidak ada"))
            continue
        ws = wb[sheet]
        if isinstance(table, m.ProgramTable):
            _program(ws, first, count, plan.derived.get(key), table, findings, edits, plan.derived.indicators)
        elif isinstance(table, m.IndikatorKinerjaTable):
            _indicators(ws, first, count, table, plan, findings, edits)
    if any(f.is_error for f in findings):
        raise ContentError(findings)
    changes = [c for items in edits.values() for _, _, c in items]
    if write and changes:
        write_atomically(_apply(Path(content_dir), edits))
    return changes


def _cell_value(ws, row: int, col: int, findings: list[Finding], numeric: bool):
    """The value of a cell the planner may edit: a number, None for empty/'-', or text for targets."""
    c = ws.cell(row=row, column=col + 1)
    v = c.value
    where = Source(f"{ws.title}!{c.coordinate}")
    if isinstance(v, str) and v.startswith("="):
        findings.append(error(where, "sel ini berisi rumus, padahal seharusnya angka yang diisi"))
        return None
    if v is None or (isinstance(v, str) and v.strip() in ("", "-")):
        return None
    if isinstance(v, bool):
        findings.append(error(where, f"harus berupa angka, tertulis {v!r}"))
        return None
    if isinstance(v, (int, float)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if numeric:
        try:
            return Decimal(v.strip().replace(".", "").replace(",", "."))
        except InvalidOperation:
            findings.append(error(where, f"harus berupa angka, tertulis {v!r}"))
            return None
    return v.strip()


def _formula_kept(ws, row: int, col: int, findings: list[Finding]) -> None:
    c = ws.cell(row=row, column=col + 1)
    if not (isinstance(c.value, str) and c.value.startswith("=")):
        findings.append(error(Source(f"{ws.title}!{c.coordinate}"),
                              f"sel rumus diubah menjadi {c.value!r}; ubah rincian di bawahnya, bukan jumlahnya"))


def _tree_paths(matrix: ProgramMatrix):
    """(node, path in the YAML) for every row in document order."""
    for pi, p in enumerate(matrix.programs):
        yield p, ("program", pi)
        for ki, k in enumerate(p.children):
            yield k, ("program", pi, "kegiatan", ki)
            for si, s in enumerate(k.children):
                yield s, ("program", pi, "kegiatan", ki, "sub_kegiatan", si)


def _program(ws, first: int, count: int, matrix: ProgramMatrix, table: m.ProgramTable,
             findings: list[Finding], edits, indicators: m.IndicatorSet | None = None) -> None:
    # the tree's rows in print order (cascade order, after any Urusan rows; the JUMLAH row ends them)
    printed = body_rows(table, matrix, indicators)
    lead = next(i for i, n in enumerate(printed) if n is not None)
    paths = {id(n): path for n, path in _tree_paths(matrix)}
    rows = [(n, paths[id(n)]) for n in printed if n is not None]
    first += lead
    year_col = first_year_col(matrix)
    file = table.source.file
    actual = 0
    while ws.cell(row=first + actual, column=3).value is not None or ws.cell(row=first + actual, column=4).value is not None:
        actual += 1
    if actual != len(rows):
        what = "ditambah" if actual > len(rows) else "dihapus"
        findings.append(error(Source(f"{ws.title}!A{first + min(actual, len(rows))}"),
                              f"baris {what} ({actual} baris, seharusnya {len(rows)}); tambah atau hapus baris di berkas konten"))
        return
    years = matrix.years
    for i, (node, path) in enumerate(rows):
        r = first + i
        code = ws.cell(row=r, column=3).value
        if (code or None) != (node.kode or None):
            findings.append(error(Source(f"{ws.title}!C{r}"), f"kode tidak dikenal '{code}' (seharusnya '{node.kode or ''}')"))
            continue
        label = node.kode or node.row.nama
        for k, y in enumerate(years):
            k_col, rp_col = year_col + 2 * k, year_col + 2 * k + 1
            if node.children:
                _formula_kept(ws, r, rp_col, findings)
                continue
            new_t = _cell_value(ws, r, k_col, findings, numeric=False)
            new_p = _cell_value(ws, r, rp_col, findings, numeric=True)
            old_t, old_p = node.row.target.get(y), node.pagu.get(y)
            if new_t != old_t:
                edits.setdefault(file, []).append((path + ("target", y), new_t, Change(file, f"{label} target {y}", old_t, new_t)))
            if new_p != old_p:
                edits.setdefault(file, []).append((path + ("pagu", y), new_p, Change(file, f"{label} pagu {y}", old_p, new_p)))
        _formula_kept(ws, r, year_col + 2 * len(years) + 1, findings)


def _indicators(ws, first: int, count: int, table: m.IndikatorKinerjaTable, plan, findings, edits) -> None:
    years = table.tahun.years
    records = [plan.derived.indicators.get(ref.kunci) for ref in table.indikator]
    records = [r for r in records if r is not None]
    index = {r.kunci: i for i, r in enumerate(plan.content.indicators.indikator)}
    file = "indikator.yaml"
    for i, rec in enumerate(records):
        r = first + i
        for k, y in enumerate(years):
            new = _cell_value(ws, r, 3 + k, findings, numeric=False)
            old = rec.target.get(y)
            if new != old:
                edits.setdefault(file, []).append(
                    (("indikator", index[rec.kunci], "target", y), new, Change(file, f"indikator {rec.kunci} target {y}", old, new)))


def _apply(root: Path, edits) -> dict[Path, bytes]:
    out = {}
    yaml = _yaml()
    for file, items in edits.items():
        path = root / file
        data = yaml.load(path.read_text(encoding="utf-8"))
        for ypath, value, _ in items:
            node = data
            for part in ypath[:-2]:
                node = node[part]
            field, year = ypath[-2], ypath[-1]
            if field not in node or node[field] is None:
                from ruamel.yaml.comments import CommentedMap
                node[field] = CommentedMap()
                node[field].fa.set_flow_style()
            if value is None:
                node[field].pop(year, None)
            else:
                node[field][year] = _yaml_value(value)
        buf = io.StringIO()
        yaml.dump(data, buf)
        out[path] = buf.getvalue().encode("utf-8")
    return out


def _yaml_value(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v
