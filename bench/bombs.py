"""Peak memory and time of every hostile input in tests/bombs.py, each in a capped child process.

    .venv/bin/python bench/bombs.py [--memory-mb 3000] [--timeout 90] [NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.bombs import AT_LIMIT, BOMBS, make, run_bounded  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=list(BOMBS) + list(AT_LIMIT))
    ap.add_argument("--memory-mb", type=int, default=3000)
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--root", type=Path, default=None, help="another checkout's renstra_gen (a before/after comparison)")
    a = ap.parse_args()
    print(f"{'bomb':20} {'exit':>5} {'seconds':>8} {'peak MB':>8}  first line of output")
    for name in a.names:
        with tempfile.TemporaryDirectory() as tmp:
            content, args = make(name, Path(tmp))
            r = run_bounded(args, content, Path(tmp) / "out", memory_mb=a.memory_mb, timeout=a.timeout,
                            env={"RENSTRA_CACHE_DIR": str(Path(tmp) / "cache")},
                            **({"root": a.root} if a.root else {}))
            first = next((ln for ln in r.output.splitlines() if "galat" in ln or "Error" in ln), "")
            if not first:
                first = (r.output.strip().splitlines() or [""])[-1]
            code = "kill" if r.code is None else str(r.code)
            print(f"{name:20} {code:>5} {r.seconds:8.1f} {r.peak_mb:8.0f}  {first[:110]}", flush=True)


if __name__ == "__main__":
    main()
