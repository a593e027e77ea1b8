"""Benchmark of the workspace (Ruang kerja) with the default content, server time in-process.

    .venv/bin/python bench/ruang_kerja.py            # --saves 50 --pdf-runs 2

- saving one pagu cell until its findings are shown: the POST of the grid plus the GET of the page
  it redirects to (which lists the findings), 50 times; p95 (target <= 0.5 s);
- the Tabel 6.2 grid page (GET), 20 times; p95 (target <= 0.3 s);
- a PDF preview job (the job a "Renstra PDF" button queues, run by the worker) against
  `renstra build --pdf` of the same content, alternated; ratio of the medians (target <= 1.2).

Requests go through Django's test client: the whole server side (middleware, view, engine, git,
check, template) without the network. Prints the figures; writes nothing into the repository."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--saves", type=int, default=50)
    ap.add_argument("--pdf-runs", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="renstra-bench-web-"))
    os.environ.update(RENSTRA_DATA=str(tmp / "data"), RENSTRA_SECRET_KEY="bench-" + "x" * 40,
                      RENSTRA_CACHE_DIR=str(tmp / "cache"), DJANGO_SETTINGS_MODULE="renstra_gen.web.settings",
                      RENSTRA_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from renstra_gen.web import engine
    from renstra_gen.web.jobs.models import Job
    from renstra_gen.web.kantor.models import Office, Profile

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RENSTRA_DATA.mkdir(parents=True)
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    office = Office.objects.create(slug="demo", nama="Dinas Sosial Kabupaten Belu", periode="2021-2026")
    office.folder.mkdir(parents=True)
    engine.copy_content(ROOT / "content", office.content, ("Bench", "bench@localhost"), "awal")
    user = User.objects.create_user("ani", "ani@contoh.go.id", "x" * 12, first_name="Ani")
    Profile.objects.create(user=user, role="penyusun", office=office)
    c = Client()
    c.force_login(user)
    url = "/k/demo/tabel-6-2/"
    c.get(url)  # warm: templates, nomenclature, imports

    def form() -> dict:
        html = c.get(url).content.decode()
        fields = dict(re.findall(r'<input name="([pitl]-[^"]+)" value="([^"]*)"', html))
        import html as h

        fields = {k: h.unescape(v) for k, v in fields.items()}
        fields["base"] = re.search(r'name="base" value="([0-9a-f]*)"', html).group(1)
        return fields

    grid_times = []
    for _ in range(20):
        t = time.perf_counter()
        r = c.get(url)
        grid_times.append(time.perf_counter() - t)
        assert r.status_code == 200
    save_times = []
    for i in range(args.saves):
        f = form()
        f["p-0.0.0-2026"] = engine.tampil(1_500_000 + i, pagu=True)
        t = time.perf_counter()
        # as a browser posts the grid's form (no enctype): application/x-www-form-urlencoded
        r = c.post(url, urlencode(f), content_type="application/x-www-form-urlencoded")
        assert r.status_code == 302, r.status_code
        page = c.get(r["Location"])
        save_times.append(time.perf_counter() - t)
        assert "Temuan pemeriksaan" in page.content.decode()
    print(f"simpan satu sel pagu sampai temuan tampil: p95 {p95(save_times):.3f} s, median "
          f"{statistics.median(save_times):.3f} s ({len(save_times)} kali; target <= 0.5 s)")
    print(f"halaman Tabel 6.2: p95 {p95(grid_times):.3f} s, median {statistics.median(grid_times):.3f} s "
          f"(20 kali; target <= 0.3 s)")
    if args.pdf_runs <= 0:
        return
    job_times, cli_times = [], []
    out = tmp / "cli-out"
    for _ in range(args.pdf_runs):
        t = time.perf_counter()
        r = c.post("/k/demo/build/", {"jenis": "renstra", "pdf": "1"})
        job_times.append(time.perf_counter() - t)
        job = Job.objects.order_by("-created").first()
        assert job.state == Job.State.DONE, job.findings
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "renstra"), "build", "--pdf", "--content",
                        str(office.content), "--out", str(out)], check=True, capture_output=True)
        cli_times.append(time.perf_counter() - t)
    ratio = statistics.median(job_times) / statistics.median(cli_times)
    print(f"pekerjaan PDF (pratinjau): median {statistics.median(job_times):.2f} s; renstra build --pdf: median "
          f"{statistics.median(cli_times):.2f} s; rasio {ratio:.2f} (target <= 1.2; {args.pdf_runs} kali, bergantian)")


if __name__ == "__main__":
    main()
