"""The task queue under the jobs: the office build lease, the Redis backend's retries, the worker process.

Two engines, both behind Django's task API (settings.TASKS), chosen by settings.py:
- embedded default: django-tasks-db (the queue is a table of this database). `renstra serve` starts
  and supervises worker processes (`renstra pekerja`, Supervisor below); a worker that dies is
  restarted and the task it had claimed goes back to the queue.
- production: RQ on Redis (django-tasks-rq). `renstra pekerja` on any machine that sees the same
  database, Redis and data folder. RQ's work horse (a fork per job) runs the build; the worker's
  heartbeat keeps the job in RQ's StartedJobRegistry and renews the office lease. A worker killed
  with its horse stops both: after the grace time, RQ's registry cleanup (run by any live worker)
  finds the job abandoned and, since every job is enqueued with Retry, queues it again.

Whatever the engine, a job is idempotent (tasks.run_job): it builds under its office's lease, does
nothing when the job is already finished, and writes into the job's own folder, so a job run again
after a worker's death writes the same files. See docs/antrean.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connections
from django.db.models import Q
from django.utils import timezone

from renstra_gen.web.jobs.models import OfficeLease

log = logging.getLogger(__name__)

#: How often a job waiting for its office's lease asks again (seconds).
LEASE_POLL = 0.25


# ---------------------------------------------------------------- the office lease (in the database)

def machine_id() -> str:
    """This machine: its name and boot id (two containers may share a host name)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        boot = ""
    return f"{socket.gethostname()}:{boot}"[:200]


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) holds nothing
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def try_lease(office_id: int, holder: str) -> bool:
    """Take the office's lease for `holder` if it is free, lapsed, or held by a dead process of this
    machine. One conditional UPDATE (compare and set): two workers never both get it.

    A lease lapses by time only: its holder renews `until` while the job runs (lease_heartbeat, on
    every engine), so a lapsed lease is one nobody renews. A process id means something only on the
    machine that recorded it: another machine's lease is never freed by a PID check here."""
    now = timezone.now()
    me = machine_id()
    until = now + dt.timedelta(seconds=settings.RENSTRA_LEASE_SECONDS)
    mine = {"holder": holder, "host": me, "pid": os.getpid(), "until": until}
    try:
        OfficeLease.objects.get_or_create(office_id=office_id)
    except IntegrityError:  # made at the same moment by another worker
        pass
    free = Q(holder="") | Q(until__lt=now)  # free, or lapsed on whichever machine (nobody renews it)
    if OfficeLease.objects.filter(Q(office_id=office_id) & free).update(**mine):
        return True
    lease = OfficeLease.objects.filter(office_id=office_id).first()
    # on this machine only: a holder whose process is gone frees it at once, before it lapses
    if lease is not None and lease.host == me and not _pid_alive(lease.pid):
        return bool(OfficeLease.objects.filter(office_id=office_id, holder=lease.holder, pid=lease.pid,
                                               host=me).update(**mine))
    return False


def renew_lease(holder: str) -> int:
    until = timezone.now() + dt.timedelta(seconds=settings.RENSTRA_LEASE_SECONDS)
    return OfficeLease.objects.filter(holder=holder).update(until=until)


@contextlib.contextmanager
def lease_heartbeat(holder: str, every: float | None = None):
    """While the block runs, a thread renews the holder's lease every third of its length, so the
    lease lapses (and another machine may take it) only when this process stops: dead, frozen or
    cut off from the database. The RQ worker's heartbeat renews it too; twice does no harm."""
    every = every or max(0.2, settings.RENSTRA_LEASE_SECONDS / 3)
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    renew_lease(holder)
                except Exception:  # noqa: BLE001 - a database hiccup: the next beat tries again
                    log.exception("memperpanjang kunci build gagal")
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name="renstra-kunci-build", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def release_lease(office_id: int, holder: str) -> None:
    OfficeLease.objects.filter(office_id=office_id, holder=holder, pid=os.getpid()).update(
        holder="", host="", pid=0, until=None)


def wait_for_lease(office_id: int, holder: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not try_lease(office_id, holder):
        if time.monotonic() > deadline:
            return False
        time.sleep(LEASE_POLL)
    return True


def worker_name() -> str:
    return f"{machine_id().split(':')[0]}:{os.getpid()}:{os.environ.get('RENSTRA_WORKER_ID', '')}"[:200]


# ---------------------------------------------------------------- Redis: RQ through django-tasks-rq

def _rq_backend_class():
    import django_rq
    from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
    from django_tasks.signals import task_enqueued
    from django_tasks.utils import get_random_id
    from django_tasks_rq.backend import Job as TaskJob, RQBackend as _Base, failed_callback, success_callback
    from rq import Retry
    from rq.job import Callback, JobStatus

    class RQBackend(_Base):
        """django-tasks-rq's enqueue, with RQ's Retry and the jobs' timeout on every job: a job whose
        worker died (found abandoned in the StartedJobRegistry) is queued again, up to RETRIES times
        (RENSTRA_JOB_RETRIES, default 2)."""

        RETRIES = int(os.environ.get("RENSTRA_JOB_RETRIES", "2"))
        supports_defer = False

        def enqueue(self, task, args, kwargs):
            self.validate_task(task)
            result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
                                started_at=None, last_attempted_at=None, finished_at=None, args=args,
                                kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[])
            queue = django_rq.get_queue(task.queue_name, job_class=TaskJob)
            job = queue.create_job(task.module_path, args=args, kwargs=kwargs, job_id=result.id,
                                   status=JobStatus.QUEUED, on_failure=Callback(failed_callback),
                                   on_success=Callback(success_callback), meta={"backend_name": self.alias},
                                   retry=Retry(max=self.RETRIES) if self.RETRIES > 0 else None,
                                   timeout=settings.RENSTRA_JOB_TIMEOUT)
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
            object.__setattr__(result, "enqueued_at", job.enqueued_at)
            task_enqueued.send(type(self), task_result=result)
            return result

    return RQBackend


_RQ = None


def __getattr__(name):  # `RQBackend` is made on first use: rq is only imported where Redis is configured
    global _RQ
    if name == "RQBackend":
        if _RQ is None:
            _RQ = _rq_backend_class()
        return _RQ
    raise AttributeError(name)


def rq_worker(name: str, burst: bool = False):
    """An RQ worker whose heartbeat renews its job's office lease, with short, configurable grace:
    RENSTRA_RQ_HEARTBEAT (s, default 10), RENSTRA_RQ_GRACE (s after the last heartbeat before a job
    is taken as abandoned, default 30), RENSTRA_RQ_MAINTENANCE (s between registry cleanups, 30)."""
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq import Worker

    heartbeat = int(os.environ.get("RENSTRA_RQ_HEARTBEAT", "10"))
    grace = int(os.environ.get("RENSTRA_RQ_GRACE", "30"))
    maintenance = int(os.environ.get("RENSTRA_RQ_MAINTENANCE", "30"))

    class RenstraWorker(Worker):
        def get_heartbeat_ttl(self, job) -> int:
            if job.timeout and job.timeout > 0:
                return int(min(job.timeout - self.current_job_working_time, self.job_monitoring_interval)) + grace
            return self.job_monitoring_interval + grace

        def fork_work_horse(self, job, queue):
            connections.close_all()  # the horse opens its own database connection
            super().fork_work_horse(job, queue)

        def maintain_heartbeats(self, job):
            super().maintain_heartbeats(job)
            if job.args:
                try:
                    renew_lease(str(job.args[0]))
                except Exception:  # noqa: BLE001 - a database hiccup: the next heartbeat tries again
                    log.exception("memperpanjang kunci build gagal")
                finally:
                    connections.close_all()

    queue = django_rq.get_queue("default", job_class=TaskJob)
    # worker_ttl: an idle worker waits on Redis for worker_ttl - 15 s, then runs the registry
    # cleanup that finds abandoned jobs; so it is tied to the maintenance interval.
    return RenstraWorker([queue], connection=queue.connection, job_class=TaskJob, name=name,
                         job_monitoring_interval=heartbeat, maintenance_interval=maintenance,
                         worker_ttl=maintenance + 15)


# ---------------------------------------------------------------- the worker process (`renstra pekerja`)

def run_worker(worker_id: str, burst: bool = False) -> None:
    """Process jobs until stopped (SIGTERM/SIGINT: the job under way finishes first)."""
    from django.core.management import call_command

    from renstra_gen.web import engine

    try:
        if settings.REDIS_URL and "django_rq" in settings.INSTALLED_APPS:
            rq_worker(f"renstra-{worker_id}-{os.getpid()}").work(burst=burst, with_scheduler=False)
        else:
            call_command("db_worker", worker_id=f"{worker_id}-{os.getpid()}"[:64], interval=0.5,
                         batch=burst, reload=False, startup_delay=False, verbosity=0)
    finally:
        engine.stop_office()


# ---------------------------------------------------------------- `renstra serve` supervises its workers

class Supervisor:
    """Worker processes of the embedded shape, kept running by the web process: one that dies is
    started again, and the task it had claimed (django-tasks-db marks it RUNNING with the worker's
    id) goes back to the queue, where the same job runs again (tasks.run_job is idempotent)."""

    def __init__(self, count: int, command: list[str] | None = None):
        self.count = count
        self.command = command or [sys.executable, "-m", "renstra_gen", "pekerja"]
        self.procs: dict[int, subprocess.Popen] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        requeue_orphans(alive=set())  # a previous run's claims: no worker of ours is alive yet
        for n in range(self.count):
            self._spawn(n)
        self._thread = threading.Thread(target=self._watch, name="renstra-pengawas", daemon=True)
        self._thread.start()

    def _spawn(self, n: int) -> None:
        self.procs[n] = subprocess.Popen([*self.command, "--id", f"w{n}"], start_new_session=True,
                                         preexec_fn=_end_with_parent)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            for n, p in list(self.procs.items()):
                if p.poll() is not None and not self._stop.is_set():
                    log.warning("pekerja w%s berhenti (kode %s); dimulai lagi", n, p.returncode)
                    try:
                        requeue_orphans(alive={f"w{m}-{q.pid}" for m, q in self.procs.items() if q.poll() is None})
                    finally:
                        connections.close_all()
                    self._spawn(n)

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        end = time.monotonic() + timeout
        for p in self.procs.values():
            try:
                p.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def _end_with_parent() -> None:
    """In a worker child of `renstra serve`: SIGTERM when the web process dies, even by SIGKILL
    (Linux prctl PR_SET_PDEATHSIG), so no worker outlives its supervisor."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def requeue_orphans(alive: set[str]) -> int:
    """Tasks claimed by a database worker that is no longer alive, back to READY."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    n = 0
    for r in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if not r.worker_ids or r.worker_ids[-1] not in alive:
            n += DBTaskResult.objects.filter(pk=r.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
    return n


# ---------------------------------------------------------------- a job the queue gave up on

def on_task_finished(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished: a run_job task the queue marks failed (its worker died on every
    try, or it ran past the timeout) leaves its Job failed with the reason, never "running" for ever.
    RQ also reports an abandoned job that still has retries left: that one is left alone."""
    from django_tasks.base import TaskResultStatus

    from renstra_gen.web.jobs.models import Job

    if task_result.status != TaskResultStatus.FAILED or not task_result.task.name.endswith("run_job"):
        return
    if _retries_left(task_result):
        return
    Job.objects.filter(pk=task_result.args[0]).exclude(state__in=(Job.State.DONE, Job.State.FAILED)).update(
        state=Job.State.FAILED, finished=timezone.now(),
        progress="Gagal: pekerja berhenti di tengah pekerjaan pada setiap percobaan; jalankan lagi")


def _retries_left(task_result) -> bool:
    if not settings.REDIS_URL or "django_rq" not in settings.INSTALLED_APPS:
        return False
    try:
        import django_rq
        from rq.job import Job as RQJob

        return bool(RQJob.fetch(task_result.id, connection=django_rq.get_connection()).retries_left)
    except Exception:  # noqa: BLE001 - the job expired from Redis: nothing more will run it
        return False
