"""Converts the reference nomenclature CSVs into the compact files shipped in renstra_gen/data/.

    python tools/make_nomenklatur.py ../shared/reference/nomenklatur

Writes renstra_gen/data/nomenklatur-1317.tsv.gz and nomenklatur-pasca1317.tsv.gz: one row per code,
columns kode, level, nama, kinerja, indikator, satuan and the name as compared
(nomenklatur.normalise_name, so that a check need not normalise 8,000 names) (tab-separated, UTF-8, sorted by code;
the per-row `sumber` of the reference files is summarised in renstra_gen/data/NOMENKLATUR.md).
The gzip header carries no time stamp, so the files are byte-identical on every run.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from renstra_gen.content.nomenklatur import normalise_name  # noqa: E402

FILES = {
    "nomenklatur.csv": "nomenklatur-1317.tsv.gz",
    "nomenklatur_pasca1317_kabkota_1.06_2.08.csv": "nomenklatur-pasca1317.tsv.gz",
}
COLUMNS = ("kode", "level", "nama", "kinerja", "indikator", "satuan")


def sort_key(code: str) -> tuple:
    return tuple(int(p) for p in code.split("."))


def convert(src: Path, dst: Path) -> int:
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: sort_key(r["kode"]))
    out = io.StringIO()
    for r in rows:
        values = [r[c].replace("\t", " ").replace("\n", " ").strip() for c in COLUMNS]
        values.append(normalise_name(values[2], values[1]))
        out.write("\t".join(values) + "\n")
    data = out.getvalue().encode("utf-8")
    dst.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return len(rows)


def main(folder: str) -> None:
    target = Path(__file__).resolve().parent.parent / "renstra_gen" / "data"
    target.mkdir(exist_ok=True)
    for name, out in FILES.items():
        n = convert(Path(folder) / name, target / out)
        print(f"{target / out}: {n} baris")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/nomenklatur")
