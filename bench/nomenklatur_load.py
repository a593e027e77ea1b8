"""Times loading the shipped nomenclature in fresh processes (the figure quoted in bench/RESULTS.md).

    .venv/bin/python bench/nomenklatur_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PROBE = """
import time
from renstra_gen.content import nomenklatur as nk
t, c = time.perf_counter(), time.process_time()
nom = nk.load("1317")
load, cpu = time.perf_counter() - t, time.process_time() - c
t = time.perf_counter()
nom.children("1.06"); nom.by_name("Penyediaan Bahan Logistik Kantor", "sub_kegiatan")
index = time.perf_counter() - t
print(len(nom), load, cpu, index)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    loads, cpus, indexes = [], [], []
    for _ in range(runs):
        n, load, cpu, index = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True,
                                             text=True).stdout.split()
        loads.append(float(load))
        cpus.append(float(cpu))
        indexes.append(float(index))
    print(f"nomenklatur 1317 ({n} kode): muat median {statistics.median(loads) * 1000:.1f} ms "
          f"(min {min(loads) * 1000:.1f}, maks {max(loads) * 1000:.1f}; waktu CPU median "
          f"{statistics.median(cpus) * 1000:.1f} ms; {runs} proses); "
          f"indeks anak dan nama pertama kali {statistics.median(indexes) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
