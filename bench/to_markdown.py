"""Writes the plain-Markdown equivalent of a content set, for timing pandoc against `renstra build`.

The document has the same headings, paragraphs and lists as the Kata Pengantar and the BAB files;
each `{{ tabel("key") }}` line becomes that table as a pipe table (the program matrix: one row per
program, kegiatan and sub kegiatan, parents summed), each figure its caption, the organisation
structure its lettered list, and any other Jinja expression a short placeholder figure. The
Lampiran tables follow at the end.

    python bench/to_markdown.py CONTENT_DIR OUT.md
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from pathlib import Path

from renstra_gen.content.yamlio import load_yaml

PLACEMENT = re.compile(r'^\{\{\s*(tabel|gambar)\("([^"]+)"\)\s*\}\}$')
STRUKTUR = re.compile(r"^\{\{\s*struktur_organisasi\(\)\s*\}\}$")
EXPRESSION = re.compile(r"\{\{.*?\}\}")
PLACEHOLDER = "1.234.567"
CHILDREN = ("kegiatan", "sub_kegiatan")  # the child list of a program, of a kegiatan
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def load(path: Path):
    """The file as the tool reads it (content/yamlio.py: `{2026: 85,5}` is one value, 85,5), without
    its line bookkeeping; plain YAML reads that map as two keys and a duplicate."""
    data, _ = load_yaml(path, path.name)
    return _plain(data)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith("__"))}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------- cells and tables

def fmt(v) -> str:
    """A value as the document prints it: Indonesian thousands and decimal comma, '-' for empty."""
    if v is None:
        return "-"
    if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
        return str(v)
    if isinstance(v, int) or v == int(v):
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or " "


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    width = len(header)
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * width]
    for r in rows:
        r = (list(r) + [""] * width)[:width]
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(lines)


def spanned(rows: list[list], width: int) -> list[list[str]]:
    """Rows of `umum` cells with `lebar`/`tinggi` spans expanded to one text per column."""
    out, covered = [], {}
    for raw in rows:
        cells, line, col = iter(raw), [], 0
        while col < width:
            if covered.get(col, 0) > 0:
                covered[col] -= 1
                line.append("")
                col += 1
                continue
            c = next(cells, "")
            text, span, height = (c.get("teks", ""), c.get("lebar", 1), c.get("tinggi", 1)) \
                if isinstance(c, dict) else (c, 1, 1)
            line += [str(text)] + [""] * (span - 1)
            for k in range(col, col + span):
                covered[k] = height - 1
            col += span
        out.append(line)
    return out


def total_or_none(values):
    """Sum of the values that exist; None ('-') when none does."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def ratio(num, den):
    if not isinstance(num, (int, float)) or not isinstance(den, (int, float)) or not den:
        return None
    return round(num * 100 / den, 2)


# ---------------------------------------------------------------- table kinds

def umum_rows(t: dict, ctx: dict):
    width = len(t["kolom"])
    head = spanned(t["kepala"], width)
    body = head[1:] + ([[f"({i})" for i in range(1, width + 1)]] if t.get("nomor_kolom") else [])
    return head[0], body + spanned(t.get("baris") or [], width)


def rekap_rows(t: dict, ctx: dict):
    rows, total = [], 0
    grouped = bool(t.get("kelompok"))
    groups = t.get("kelompok") or [{"rincian": t.get("rincian") or []}]
    for n, g in enumerate(groups, 1):
        sub = sum(i.get("jumlah") or 0 for i in g["rincian"])
        total += sub
        label = [g.get("uraian") or ""] if grouped else []
        for k, i in enumerate(g["rincian"], 1):
            share = [fmt(ratio(i.get("jumlah"), sub))] if t.get("persen") else []
            rows.append([f"{n if grouped else k}."] + label + [i["uraian"], fmt(i.get("jumlah"))] + share)
        if grouped:
            rows.append(["", t.get("label_jumlah", "Jumlah"), "", fmt(sub), "100"])
    if t.get("label_total"):
        rows.append(["", t["label_total"]] + [""] * grouped + [fmt(total), "100"])
    return t["kolom"], rows


def years_of(t: dict) -> list[int]:
    return list(range(t["tahun"]["awal"], t["tahun"]["akhir"] + 1))


def capaian_rows(t: dict, ctx: dict):
    years = years_of(t)
    header = ["No", t.get("kolom_indikator", "Indikator")] + [f"Target {y}" for y in years] \
        + [f"Realisasi {y}" for y in years] + [f"Rasio {y}" for y in years]
    rows = []
    for n, ind in enumerate(t["indikator"], 1):
        tg, re_ = ind.get("target") or {}, ind.get("realisasi") or {}
        rows.append([str(n), ind["nama"]] + [fmt(tg.get(y)) for y in years] + [fmt(re_.get(y)) for y in years]
                    + [fmt(ratio(re_.get(y), tg.get(y))) for y in years])
    return header, rows


def anggaran_rows(t: dict, ctx: dict):
    years = years_of(t)
    header = ["No", "Uraian"] + [f"Anggaran {y}" for y in years] + [f"Realisasi {y}" for y in years] \
        + [f"Rasio {y}" for y in years]
    rows = []
    for n, p in enumerate(t["program"], 1):
        a, r = p.get("anggaran") or {}, p.get("realisasi") or {}
        rows.append([str(n), p["uraian"]] + [fmt(a.get(y)) for y in years] + [fmt(r.get(y)) for y in years]
                    + [fmt(ratio(r.get(y), a.get(y))) for y in years])
    return header, rows


def indicator_rows(t: dict, ctx: dict):
    years = years_of(t) if "tahun" in t else ctx["years"]
    header = ["No", "Tujuan", "Sasaran", "Indikator", "Satuan", "Kondisi Awal"] + [str(y) for y in years] \
        + ["Kondisi Akhir"]
    rows = []
    for n, ref in enumerate(t["indikator"], 1):
        ind = ctx["indicators"][ref["kunci"]]
        target = ind.get("target") or {}
        rows.append([str(n), t.get("tujuan", ""), t.get("sasaran", ""), ind["nama"], ind.get("satuan", ""),
                     fmt(ind.get("kondisi_awal"))] + [fmt(target.get(y)) for y in years]
                    + [fmt(target.get(ctx["years"][-1]))])
    return header, rows


def rumus_rows(t: dict, ctx: dict):
    rows = []
    for n, ref in enumerate(t["indikator"], 1):
        ind = ctx["indicators"][ref["kunci"]]
        rows.append([str(n), ind["nama"], ind.get("rumus", ""), ind.get("keterangan", "")])
    return ["No", "Indikator", "Rumus", "Keterangan"], rows


def strategi_rows(t: dict, ctx: dict):
    rows = [[b["tujuan"], b["sasaran"], "; ".join(b["strategi"]), "; ".join(b.get("kebijakan") or [])]
            for b in t["baris"]]
    return ["Tujuan", "Sasaran", "Strategi", "Arah Kebijakan"], rows


def program_rows(t: dict, ctx: dict):
    years = ctx["years"]
    header = ["Kode", "Program/Kegiatan/Sub Kegiatan", "Indikator"] \
        + [f"{h} {y}" for y in years for h in ("Target", "Rp")] + ["Target Akhir", "Rp Akhir", "Unit", "Lokasi"]
    rows: list[list[str]] = []
    for p in t["program"]:
        matrix_row(p, 0, years, t.get("unit"), rows)
    return header, rows


def matrix_row(row: dict, level: int, years: list[int], unit, out: list[list[str]]) -> dict:
    """Append the row and its children; return its pagu per year (parents: children summed)."""
    unit = row.get("unit", unit)
    kids = row.get(CHILDREN[level]) if level < len(CHILDREN) else None
    index = len(out)
    out.append([])
    if kids:
        sums = [matrix_row(k, level + 1, years, unit, out) for k in kids]
        pagu = {y: total_or_none(s.get(y) for s in sums) for y in years}
    else:
        pagu = row.get("pagu") or {}
    target = row.get("target") or {}
    out[index] = [row.get("kode") or "", row["nama"], row.get("indikator", "")] \
        + [fmt(v) for y in years for v in (target.get(y), pagu.get(y))] \
        + [fmt(target.get(years[-1])), fmt(total_or_none(pagu.values())), unit or "", row.get("lokasi", "")]
    return pagu


ROWS = {
    "umum": umum_rows, "rekap": rekap_rows, "capaian-kinerja": capaian_rows,
    "anggaran-realisasi": anggaran_rows, "tujuan-sasaran": indicator_rows,
    "indikator-kinerja": indicator_rows, "rumus-indikator": rumus_rows,
    "strategi": strategi_rows, "program-pendanaan": program_rows,
}


def table_markdown(t: dict, caption: str, ctx: dict) -> str:
    header, rows = ROWS[t["jenis"]](t, ctx)
    out = [f"**{caption}**", "", pipe_table([str(h) for h in header], rows)]
    if t.get("sumber"):
        out += ["", f"Sumber: {t['sumber']}"]
    return "\n".join(out)


# ---------------------------------------------------------------- document

def organisation_list(org: dict) -> str:
    lines = [org.get("kalimat_pengantar", ""), ""]
    for i, u in enumerate(org["unit"]):
        lines.append(f"{chr(97 + i)}. {u['nama']}")
        lines += [f"   ({j}) {sub}" for j, sub in enumerate(u.get("bawahan") or [], 1)]
    return "\n".join(lines)


def narrative(text: str, root: Path, ctx: dict) -> str:
    """A Markdown file with placements expanded and other Jinja expressions replaced."""
    out = []
    for line in text.splitlines():
        m = PLACEMENT.match(line.strip())
        if m and m.group(1) == "tabel":
            t = load(root / "tabel" / f"{m.group(2)}.yaml")
            out.append(table_markdown(t, f"Tabel {m.group(2)}. {t['judul']}", ctx))
        elif m:
            f = load(root / "gambar" / f"{m.group(2)}.yaml")
            out.append(f"*Gambar {m.group(2)}. {f['judul']}*")
        elif STRUKTUR.match(line.strip()):
            out.append(organisation_list(ctx["organisasi"]))
        else:
            out.append(EXPRESSION.sub(PLACEHOLDER, line))
    return "\n".join(out)


def to_markdown(root: Path) -> str:
    identity = load(root / "renstra.yaml")
    indicators = load(root / "indikator.yaml") if (root / "indikator.yaml").is_file() else {}
    org_path = root / "organisasi.yaml"
    ctx = {
        "years": list(range(identity["periode"]["awal"], identity["periode"]["akhir"] + 1)),
        "indicators": {i["kunci"]: i for i in (indicators or {}).get("indikator", [])},
        "organisasi": load(org_path) if org_path.is_file() else {"unit": []},
    }
    parts = [f"% {identity.get('judul', 'RENSTRA')} {identity['perangkat_daerah']['nama']}"]
    if identity.get("kata_pengantar"):
        parts += ["# KATA PENGANTAR", narrative((root / identity["kata_pengantar"]).read_text("utf-8"), root, ctx)]
    for n, rel in enumerate(identity["bab"], 1):
        text = narrative((root / rel).read_text("utf-8"), root, ctx)
        parts.append(re.sub(r"^# ", f"# BAB {ROMAN[n - 1] if n <= len(ROMAN) else n} ", text, count=1))
    if identity.get("lampiran"):
        parts.append("# LAMPIRAN")
        for n, rel in enumerate(identity["lampiran"], 1):
            t = load(root / rel)
            parts.append(table_markdown(t, f"Lampiran {n}: {t['judul']}", ctx))
    return "\n\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, help="content folder")
    parser.add_argument("out", type=Path, help="Markdown file to write")
    args = parser.parse_args()
    args.out.write_text(to_markdown(args.content), encoding="utf-8")


if __name__ == "__main__":
    main()
