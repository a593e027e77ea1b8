"""The task queue with Redis (RQ) and two worker processes (`renstra pekerja`), as in production:
a worker killed (SIGKILL) in the middle of a PDF job -> the job finishes on the other; 40 offices'
builds queued at once all finish, none built twice. And the office lease's rules, on the test database.

Redis: RENSTRA_TEST_REDIS_URL (.ci/run starts one on loopback), else a redis-server started here on
a free loopback port; skipped when neither is there. The workers and the site share a data folder
with its SQLite database (WAL), like workers on one machine; the test reads the database directly."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
DEFAULT = ROOT / "content"

SETUP = r"""
import json, os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from renstra_gen.web import engine
from renstra_gen.web.jobs import tasks
from renstra_gen.web.jobs.models import Job
from renstra_gen.web.kantor.models import Office
spec = json.loads(sys.argv[1])
ids = []
for n in range(spec["offices"]):
    office = Office.objects.create(slug=f"pd{n:02d}", nama=f"Perangkat Daerah {n:02d}", bidang="1.06", periode="2021-2026")
    office.folder.mkdir(parents=True)
    engine.copy_content(spec["content"], office.content, ("Uji", "uji@localhost"), "Konten uji")
    job = Job.objects.create(office=office, kind="renstra", params={"pdf": spec["pdf"], "draft": False},
                             commit=engine.head(office.content))
    ids.append(str(job.pk))
for job in Job.objects.filter(pk__in=ids):
    tasks.enqueue(job)
print(json.dumps(ids))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    url = os.environ.get("RENSTRA_TEST_REDIS_URL")
    if url:
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server tidak terpasang (apt-get install redis-server) dan RENSTRA_TEST_REDIS_URL kosong")
    port = _free_port()
    proc = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


class Site:
    """A data folder, its database, and the worker processes on Redis."""

    def __init__(self, tmp: Path, redis: str):
        self.data = tmp / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RENSTRA_TASKS_BACKEND")}
        self.env.update(DJANGO_SETTINGS_MODULE="renstra_gen.web.settings", RENSTRA_DATA=str(self.data),
                        RENSTRA_SECRET_KEY="uji-" + "x" * 40, RENSTRA_REDIS_URL=redis,
                        RENSTRA_RQ_HEARTBEAT="1", RENSTRA_RQ_GRACE="2", RENSTRA_RQ_MAINTENANCE="1",
                        RENSTRA_LEASE_SECONDS="5", RENSTRA_OFFICE_IDLE="120", PYTHONWARNINGS="ignore")
        self.workers: dict[str, subprocess.Popen] = {}
        import redis as redis_client

        redis_client.Redis.from_url(redis).flushdb()

    def setup(self, offices: int, pdf: bool, content: Path = MINIMAL) -> list[str]:
        out = subprocess.run([sys.executable, "-c", SETUP, json.dumps({"offices": offices, "pdf": pdf,
                                                                        "content": str(content)})],
                             env=self.env, capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start(self, worker_id: str) -> subprocess.Popen:
        log = open(self.data / f"pekerja-{worker_id}.log", "w")
        p = subprocess.Popen([sys.executable, "-m", "renstra_gen", "pekerja", "--id", worker_id], env=self.env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
        self.workers[worker_id] = p
        return p

    def rows(self, sql: str, *args):
        con = sqlite3.connect(f"file:{self.data / 'ruang-kerja.sqlite3'}?mode=ro", uri=True, timeout=20)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def jobs(self) -> dict[str, dict]:
        return {str(dt_id): {"state": s, "attempts": a, "worker": w, "files": json.loads(f)}
                for dt_id, s, a, w, f in self.rows("select id, state, attempts, worker, files from jobs_job")}

    def wait(self, done, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = done()
            if value:
                return value
            time.sleep(0.2)
        logs = "\n".join(p.read_text()[-3000:] for p in self.data.glob("pekerja-*.log"))
        pytest.fail(f"{what}: tidak terjadi dalam {timeout} s\n{logs}")

    def office_dir(self, worker_id: str) -> Path:
        return self.data / "pekerja" / worker_id / "office"

    def close(self) -> None:
        for p in self.workers.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.workers.values():
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        from renstra_gen.render.office import Office

        for folder in (self.data / "pekerja").glob("*/office"):
            Office(folder).stop()  # the killed worker's LibreOffice too


@pytest.fixture
def site(tmp_path, redis_url):
    s = Site(tmp_path, redis_url)
    yield s
    s.close()


def _uuid_hex(job_id: str) -> str:
    return job_id.replace("-", "")


@pytest.mark.queue
def test_forty_offices_queued_at_once_all_build_once_on_two_workers(site):
    site.start("a")  # first: both are listening when the 40 arrive
    site.start("b")
    ids = site.setup(40, pdf=False)
    jobs = site.wait(lambda: (j := site.jobs()) and all(v["state"] in ("selesai", "gagal") for v in j.values()) and j,
                     420, "40 build selesai")
    assert len(jobs) == 40
    assert {v["state"] for v in jobs.values()} == {"selesai"}
    assert all(v["attempts"] == 1 for v in jobs.values())  # none built twice
    assert all(any(f.endswith(".docx") for f in v["files"]) for v in jobs.values())
    runs = site.rows("select detail from audit_event where action = 'build-jalan'")
    assert len(runs) == 40  # one build execution per job, counted by the audit log
    assert {_uuid_hex(i) for i in ids} == {_uuid_hex(d.split("(")[1].split(")")[0]) for (d,) in runs}
    assert {v["worker"].rsplit(":", 1)[1] for v in jobs.values()} == {"a", "b"}  # both workers took jobs
    # every lease given back (a job is marked done just before its worker releases the lease)
    site.wait(lambda: site.rows("select count(*) from jobs_officelease where holder != ''") == [(0,)], 30,
              "kunci build dilepas")


@pytest.mark.queue
def test_a_worker_killed_in_the_middle_of_a_pdf_job_the_other_finishes_it(site):
    [job_id] = site.setup(1, pdf=True, content=DEFAULT)  # its conversion lasts seconds: the kill lands in it
    site.start("a")
    site.start("b")
    key = _uuid_hex(job_id)

    def running():
        rows = site.rows("select state, worker from jobs_job")
        if rows and rows[0][0] == "berjalan" and rows[0][1]:
            worker = rows[0][1].rsplit(":", 1)[1]
            # in the PDF step: this worker's LibreOffice is up (it starts on the job's first conversion)
            if (site.office_dir(worker) / "server.json").exists():
                return rows[0][1]
        return None

    holder = site.wait(running, 180, "build PDF berjalan")
    _, horse_pid, victim = holder.rsplit(":", 2)
    survivor = "b" if victim == "a" else "a"
    # the machine dies: the worker, its work horse (its own process group) and its LibreOffice
    os.killpg(site.workers[victim].pid, signal.SIGKILL)
    os.kill(int(horse_pid), signal.SIGKILL)
    info = json.loads((site.office_dir(victim) / "server.json").read_text())
    for pid in (info.get("office"), info.get("server")):
        if pid:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
    site.workers[victim].wait(10)
    killed_at = time.monotonic()

    job = site.wait(lambda: (j := site.jobs()[next(iter(site.jobs()))]) and j["state"] in ("selesai", "gagal") and j,
                    300, "build PDF diselesaikan pekerja lain")
    assert job["state"] == "selesai", job
    assert job["worker"].endswith(f":{survivor}")
    assert job["attempts"] == 2  # the killed build (it never finished), then the retried one
    assert any(f.endswith(".pdf") for f in job["files"])
    pdf = site.data / "kantor" / "pd00" / "hasil" / job_id / next(f for f in job["files"] if f.endswith(".pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    runs = site.rows("select detail from audit_event where action = 'build-jalan'")
    assert len(runs) == 2 and all(job_id in d or key in d for (d,) in runs)
    assert time.monotonic() - killed_at < 240


# ---------------------------------------------------------------- the lease's rules (test database)

@pytest.mark.django_db
def test_the_office_lease_is_held_by_one_job_and_freed_when_its_holder_is_dead_or_lapsed(world, settings):
    from django.utils import timezone

    from renstra_gen.web.jobs import queue
    from renstra_gen.web.jobs.models import OfficeLease

    office = world["demo"].pk
    assert queue.try_lease(office, "job-1")
    assert not queue.try_lease(office, "job-2")  # held by a live process (this one)
    queue.release_lease(office, "job-1")
    assert queue.try_lease(office, "job-2")

    # a dead process of this machine: free at once, lapsed or not
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    OfficeLease.objects.filter(pk=office).update(holder="job-2", pid=dead.pid)
    assert queue.try_lease(office, "job-3")

    # a live holder on this machine keeps it while renewed; lapsed, nobody renews it (frozen): taken
    assert not queue.try_lease(office, "job-4")
    OfficeLease.objects.filter(pk=office).update(until=timezone.now() - dt.timedelta(seconds=1))
    assert queue.try_lease(office, "job-4")
    queue.release_lease(office, "job-4")
    assert queue.try_lease(office, "job-3")

    # another machine's holder: kept while renewed, free once lapsed
    OfficeLease.objects.filter(pk=office).update(host="mesin-lain:1234", pid=1,
                                                 until=timezone.now() + dt.timedelta(seconds=60))
    assert not queue.try_lease(office, "job-4")
    assert queue.renew_lease("job-3") == 1
    OfficeLease.objects.filter(pk=office).update(until=timezone.now() - dt.timedelta(seconds=1))
    assert queue.try_lease(office, "job-4")
    assert OfficeLease.objects.get(pk=office).holder == "job-4"


@pytest.mark.django_db
def test_another_machines_lease_is_kept_whatever_its_pid_says_here_until_it_lapses(world):
    """RQ workers on several machines: a PID is only asked on the machine that recorded it."""
    from django.utils import timezone

    from renstra_gen.web.jobs import queue
    from renstra_gen.web.jobs.models import OfficeLease

    office = world["demo"].pk
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    soon = timezone.now() + dt.timedelta(seconds=60)
    OfficeLease.objects.create(office_id=office, holder="job-lain", host="mesin-lain:0badc0de", pid=os.getpid(),
                               until=soon)
    assert not queue.try_lease(office, "job-1")  # a live-looking PID (this process's) of another host: kept
    OfficeLease.objects.filter(pk=office).update(pid=dead.pid)
    assert not queue.try_lease(office, "job-1")  # a PID dead here means nothing for another machine: kept
    assert OfficeLease.objects.get(pk=office).holder == "job-lain"
    assert queue.renew_lease("job-lain") == 1 and OfficeLease.objects.get(pk=office).until > soon  # its heartbeat
    OfficeLease.objects.filter(pk=office).update(until=timezone.now() - dt.timedelta(seconds=1))
    assert queue.try_lease(office, "job-1")  # lapsed (no heartbeat): taken, and recorded as this machine's
    lease = OfficeLease.objects.get(pk=office)
    assert (lease.holder, lease.host, lease.pid) == ("job-1", queue.machine_id(), os.getpid())
    assert lease.host.split(":")[0] == socket.gethostname() and lease.until > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_running_job_renews_its_lease_so_it_never_lapses_under_a_long_build(world, settings, monkeypatch):
    """Every engine (the database worker too) renews the lease while the job runs: with a 1 s lease, a
    3 s build keeps it, and another machine trying meanwhile never gets it."""
    from django.utils import timezone

    from renstra_gen.web.jobs import queue, tasks
    from renstra_gen.web.jobs.models import Job, OfficeLease

    settings.RENSTRA_LEASE_SECONDS = 1
    office = world["demo"]
    seen = []

    def slow_build(job):
        for _ in range(6):
            time.sleep(0.5)
            lease = OfficeLease.objects.get(pk=office.pk)
            seen.append((lease.holder, lease.until > timezone.now()))
            # another machine asks: the lease has not lapsed, and the PID check is not its to make
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(queue, "machine_id", lambda: "mesin-lain:1")
                assert not queue.try_lease(office.pk, "job-mesin-lain")
        Job.objects.filter(pk=job.pk).update(state=Job.State.DONE)

    monkeypatch.setattr(tasks, "_build", slow_build)
    job = Job.objects.create(office=office, kind="renstra", params={})
    tasks.run_job.call(str(job.pk))
    assert seen == [(str(job.pk), True)] * 6
    assert OfficeLease.objects.get(pk=office.pk).holder == ""  # given back at the end


# ---------------------------------------------------------------- the embedded default: no Redis

@pytest.mark.queue
def test_renstra_serve_supervises_its_worker_and_a_killed_workers_job_runs_again(tmp_path):
    """No extra service: the queue is the database (django-tasks-db), `renstra serve` starts the
    worker; a worker killed mid-PDF is started again and its job goes back to the queue."""
    site = Site.__new__(Site)
    site.data = tmp_path / "data"
    site.data.mkdir()
    site.workers = {}
    site.env = {k: v for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "RENSTRA_TASKS_BACKEND", "RENSTRA_REDIS_URL")}
    site.env.update(DJANGO_SETTINGS_MODULE="renstra_gen.web.settings", RENSTRA_DATA=str(site.data),
                    RENSTRA_SECRET_KEY="uji-" + "x" * 40, RENSTRA_ADMIN_PASSWORD="kata-sandi-uji-1",
                    RENSTRA_WORKERS="1", RENSTRA_OFFICE_IDLE="120", PYTHONWARNINGS="ignore")
    [job_id] = site.setup(1, pdf=True, content=DEFAULT)
    port = _free_port()
    log = open(site.data / "serve.log", "w")
    serve = subprocess.Popen([sys.executable, "-m", "renstra_gen", "serve", "--port", str(port)], env=site.env,
                             stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        def running():
            rows = site.rows("select state, worker from jobs_job")
            if rows[0][0] == "berjalan" and (site.office_dir("w0") / "server.json").exists():
                return rows[0][1]
            return None

        holder = site.wait(running, 180, "build PDF berjalan di pekerja renstra serve")
        pid = int(holder.rsplit(":", 2)[1])
        os.kill(pid, signal.SIGKILL)  # the worker process itself runs the task (no work horse)
        job = site.wait(lambda: (j := next(iter(site.jobs().values()))) and j["state"] in ("selesai", "gagal") and j,
                        240, "build PDF diselesaikan pekerja yang dimulai lagi")
        assert job["state"] == "selesai" and job["attempts"] == 2
        assert int(job["worker"].rsplit(":", 2)[1]) != pid  # a new worker process finished it
        assert any(f.endswith(".pdf") for f in job["files"])
        assert site.rows("select status from django_tasks_database_dbtaskresult") == [("SUCCESSFUL",)]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(60)
        from renstra_gen.render.office import Office

        for folder in (site.data / "pekerja").glob("*/office"):
            Office(folder).stop()
    out = (site.data / "serve.log").read_text()
    assert "Ruang kerja: http://127.0.0.1" in out
    assert "pekerja w0 berhenti" in out
    time.sleep(0.5)
    assert not [p for p in Path("/proc").glob("[0-9]*") if _is_worker_of(p, site.data)]  # no worker left


def _is_worker_of(proc: Path, data: Path) -> bool:
    try:
        return b"pekerja" in (proc / "cmdline").read_bytes() and \
            str(data).encode() in (proc / "environ").read_bytes()
    except OSError:
        return False


def test_a_worker_yields_the_processor_and_the_disk_to_the_web_and_sqlite_commits_without_waiting_for_the_disk(db):
    """`renstra pekerja` runs its builds (and its LibreOffice, which inherits it) as SCHED_BATCH with the
    lowest best-effort disk priority, or SCHED_IDLE and the idle disk class when asked; the web's
    SQLite commits in WAL with synchronous=NORMAL."""
    code = ("import os, subprocess, sys; from renstra_gen.web.serve import _yield_to_the_web; "
            "_yield_to_the_web(sys.argv[1]); "
            "print(os.sched_getscheduler(0), subprocess.run(['ionice', '-p', str(os.getpid())], "
            "capture_output=True, text=True).stdout.strip(), "
            "subprocess.run(['sh', '-c', 'chrt -p $$'], capture_output=True, text=True).stdout.count('SCHED_'))")
    out = {p: subprocess.run([sys.executable, "-c", code, p], capture_output=True, text=True, check=True).stdout.split(" ", 1)
           for p in ("batch", "idle", "normal")}
    assert int(out["batch"][0]) == os.SCHED_BATCH and out["batch"][1].startswith("best-effort: prio 7")
    assert int(out["idle"][0]) == os.SCHED_IDLE and out["idle"][1].startswith("idle")
    assert int(out["normal"][0]) == os.SCHED_OTHER
    from django.conf import settings
    from django.db import connection

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # (the PostgreSQL run has its own)
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous")
            assert c.fetchone()[0] == 1  # NORMAL
