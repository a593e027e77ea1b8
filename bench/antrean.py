"""Benchmark of the job queue (#31): a regency's batch of final PDFs on 1 and on 2 RQ workers.

    .venv/bin/python bench/antrean.py                 # --offices 40 --workers 1,2 --saves-while-busy
    .venv/bin/python bench/antrean.py --offices 4     # smoke test

- 40 offices, each with a copy of the default content (the default's size), in one data folder
  (SQLite, as workers of one machine); a redis-server on a free loopback port;
- for each worker count: `renstra pekerja` processes started (each with its own LibreOffice, started
  cold by its first job), then the regency's batch build "all Renstra, final PDF" queued at once
  (40 jobs and the zip); wall time from queuing to the zip, and the ratio 1 worker / 2 workers;
- meanwhile, in this process (the web's server side, through Django's test client as
  bench/ruang_kerja.py does), one pagu cell of another office saved again and again until its
  findings show, about once a second: p95 of a save while the queue is full.

Prints the figures; writes nothing into the repository."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(round(0.95 * len(values))) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offices", type=int, default=40)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--no-saves", action="store_true", help="do not save while the queue is full")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="renstra-bench-antrean-"))
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    os.environ.update(RENSTRA_DATA=str(tmp / "data"), RENSTRA_SECRET_KEY="bench-" + "x" * 40,
                      RENSTRA_CACHE_DIR=str(tmp / "cache"), DJANGO_SETTINGS_MODULE="renstra_gen.web.settings",
                      RENSTRA_REDIS_URL=url, PYTHONWARNINGS="ignore",
                      # every conversion in full: the offices here hold copies of one content, which the
                      # workers' warm offices would otherwise convert incrementally from each other (only
                      # run texts differ), as a regency's forty different documents would not be
                      RENSTRA_OFFICE_INCREMENTAL="0")
    os.environ.pop("DATABASE_URL", None)
    workers: list[subprocess.Popen] = []
    try:
        run(args, tmp, url, workers)
    finally:
        for p in workers:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in workers:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        from renstra_gen.render.office import Office

        for folder in (tmp / "data" / "pekerja").glob("*/office"):
            Office(folder).stop()
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path, url: str, workers: list) -> None:
    import django

    time.sleep(0.3)
    django.setup()
    import redis as redis_client
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from renstra_gen.web import engine
    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Batch, Job
    from renstra_gen.web.kantor.models import Office, Profile

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RENSTRA_DATA.mkdir(parents=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    offices = []
    for n in range(args.offices):
        o = Office.objects.create(slug=f"pd{n:02d}", nama=f"Perangkat Daerah {n:02d}", periode="2021-2026")
        o.folder.mkdir(parents=True)
        engine.copy_content(ROOT / "content", o.content, ("Bench", "bench@localhost"), "awal")
        offices.append(o)
    web = Office.objects.create(slug="web", nama="Kantor yang sedang menyunting", periode="2021-2026")
    web.folder.mkdir(parents=True)
    engine.copy_content(ROOT / "content", web.content, ("Bench", "bench@localhost"), "awal")
    print(f"{args.offices} perangkat daerah dengan konten bawaan disiapkan dalam {time.perf_counter() - t:.1f} s",
          flush=True)
    admin = User.objects.create_superuser("admin", "", "x" * 12)
    Profile.objects.create(user=admin, role="admin")
    ani = User.objects.create_user("ani", "", "x" * 12, first_name="Ani")
    Profile.objects.create(user=ani, role="penyusun", office=web)
    c = Client()
    c.force_login(ani)
    grid = "/k/web/tabel-6-2/"
    c.get(grid)

    def save(i: int) -> float:
        import html as h

        page = c.get(grid).content.decode()
        fields = {k: h.unescape(v) for k, v in re.findall(r'<input name="([pitl]-[^"]+)" value="([^"]*)"', page)}
        fields["base"] = re.search(r'name="base" value="([0-9a-f]*)"', page).group(1)
        fields["p-0.0.0-2026"] = engine.tampil(1_500_000 + i, pagu=True)
        t0 = time.perf_counter()
        r = c.post(grid, fields)
        assert r.status_code == 302, r.status_code
        assert "Temuan pemeriksaan" in c.get(r["Location"]).content.decode()
        return time.perf_counter() - t0

    idle = [save(i) for i in range(10)]
    print(f"simpan satu sel pagu, antrean kosong: p95 {p95(idle):.3f} s, median {statistics.median(idle):.3f} s "
          f"({len(idle)} kali)", flush=True)
    walls = {}
    counter = 100
    for count in [int(x) for x in args.workers.split(",")]:
        redis_client.Redis.from_url(url).flushdb()
        for n in range(count):
            log = open(tmp / f"pekerja-{count}-{n}.log", "w")
            workers.append(subprocess.Popen([sys.executable, "-m", "renstra_gen", "pekerja", "--id", f"b{count}-{n}"],
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        time.sleep(2)  # the workers' Django start
        t0 = time.perf_counter()
        batch = tasks.start_batch(Job.Kind.RENSTRA, {"pdf": True, "draft": False}, admin, offices)
        saves = []
        while True:
            b = Batch.objects.get(pk=batch.pk)
            if b.zip_name:
                break
            if args.no_saves:
                time.sleep(0.5)
            else:  # a person saving about once a second while the regency's batch runs
                counter += 1
                saves.append(save(counter))
                time.sleep(1.0)
        wall = time.perf_counter() - t0
        walls[count] = wall
        counts = b.counts()
        executions = list(Job.objects.filter(batch=b).values_list("attempts", flat=True))
        per_worker: dict[str, int] = {}
        for w in Job.objects.filter(batch=b).values_list("worker", flat=True):
            per_worker[w.rsplit(":", 1)[-1]] = per_worker.get(w.rsplit(":", 1)[-1], 0) + 1
        zip_mb = (b.folder / b.zip_name).stat().st_size / 1e6
        print(f"{count} pekerja: {args.offices} PDF final + zip ({zip_mb:.1f} MB) dalam {wall:.1f} s "
              f"({wall / args.offices:.2f} s per perangkat daerah); {counts['selesai']} selesai, "
              f"{counts['gagal']} gagal; build per job {sorted(set(executions))}; per pekerja {per_worker}", flush=True)
        if saves:
            print(f"   simpan satu sel pagu selama antrean penuh: p95 {p95(saves):.3f} s, median "
                  f"{statistics.median(saves):.3f} s, maks {max(saves):.3f} s ({len(saves)} kali)", flush=True)
        for p in workers:
            p.send_signal(signal.SIGTERM)
        for p in workers:
            p.wait(120)
        workers.clear()
    if 1 in walls and 2 in walls:
        print(f"rasio 1 pekerja / 2 pekerja: {walls[1] / walls[2]:.2f} (linier: 2,00)")
    print(f"mesin: {os.cpu_count()} inti; beban 1 menit saat selesai: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
