"""`renstra serve`: migrate, create the admin account and the demo office on first run, then serve.

The embedded shape: one web process, SQLite in the data folder, the queue in that database and
RENSTRA_WORKERS worker processes this process starts and supervises (jobs/queue.py). For a regency:
PostgreSQL (DATABASE_URL), gunicorn, Redis and `renstra pekerja` on several machines, see the README."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys


def setup(https: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renstra_gen.web.settings")
    if not https:
        os.environ.setdefault("RENSTRA_HTTPS", "0")  # plain HTTP on loopback: cookies cannot be Secure
    import django

    django.setup()


def bootstrap(out=sys.stdout) -> None:
    """Migrations, then on first run the admin account and the demo office with the default content."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction

    from renstra_gen.web import engine
    from renstra_gen.web.kantor.models import Office, Profile, Role

    settings.RENSTRA_DATA.mkdir(parents=True, exist_ok=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        if not User.objects.filter(is_superuser=True).exists():
            password = os.environ.get("RENSTRA_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user = User.objects.create_superuser("admin", "", password, first_name="Admin", last_name="Bappeda")
            Profile.objects.create(user=user, role=Role.ADMIN)
            if not os.environ.get("RENSTRA_ADMIN_PASSWORD"):
                print(f"Akun admin dibuat: nama akun 'admin', kata sandi '{password}' "
                      f"(dicetak sekali ini saja; ganti setelah masuk).", file=out)
    _resume_jobs()
    if not Office.objects.exists():
        office = Office(slug="demo", nama="Dinas Sosial Kabupaten Belu (demo)", bidang="1.06", periode="2021-2026")
        if not office.content.exists():
            office.folder.mkdir(parents=True, exist_ok=True)
            engine.copy_content(engine.DEFAULT_CONTENT, office.content, ("Ruang Kerja", "ruang-kerja@localhost"),
                                "Konten contoh: Renstra Dinas Sosial Kabupaten Belu 2021-2026")
        office.save()
        print(f"Perangkat daerah contoh dibuat: {office.nama} ({office.content}).", file=out)


def worker(worker_id: str = "w0", burst: bool = False) -> None:
    """`renstra pekerja`: one queue worker process (jobs/queue.py)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renstra_gen.web.settings")
    from renstra_gen.web.settings import data_dir

    # Before anything starts LibreOffice: a warm office of this worker's own (two workers convert
    # at once), kept an hour between jobs (render/office.py).
    os.environ["RENSTRA_WORKER_ID"] = worker_id
    state = data_dir() / "pekerja" / worker_id / "office"
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("RENSTRA_OFFICE_DIR", str(state))
    os.environ.setdefault("RENSTRA_OFFICE_IDLE", "3600")
    # Builds yield the processor to the web's requests on a machine that runs both (a save stays
    # quick while the queue is full); its LibreOffice inherits it. RENSTRA_WORKER_NICE=0: no change.
    with contextlib.suppress(ValueError, OSError):
        os.nice(int(os.environ.get("RENSTRA_WORKER_NICE", "10")))
    _yield_to_the_web(os.environ.get("RENSTRA_WORKER_SCHED", "idle"))
    import django

    django.setup()
    from renstra_gen.web.jobs.queue import run_worker

    run_worker(worker_id, burst)


def _yield_to_the_web(policy: str) -> None:
    """A worker's processor and disk scheduling (issue 31: a save stays quick while the queue is full),
    inherited by its LibreOffice and forks. "idle" (default): SCHED_IDLE and the idle disk class, builds
    run only on time the web leaves (measured quietly, 40 final PDFs on 2 workers of a 2-core machine:
    a save's p95 0.62 s against SCHED_BATCH's 0.87 s, the batch 120 s against 115 s; a machine of
    workers only has nothing to yield to); "batch": SCHED_BATCH, a build never preempts the web's
    request on waking, and the lowest best-effort disk priority; "normal": unchanged."""
    import platform

    if policy not in ("batch", "idle"):
        return
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE if policy == "idle" else os.SCHED_BATCH, os.sched_param(0))
    number = {"x86_64": 251, "aarch64": 30}.get(platform.machine())  # ioprio_set(2)
    if number is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        prio = (3 << 13) if policy == "idle" else (2 << 13) | 7  # IOPRIO_CLASS_IDLE / _BE level 7
        ctypes.CDLL(None, use_errno=True).syscall(number, 1, 0, prio)  # IOPRIO_WHO_PROCESS, this process


def _local_workers():
    """The embedded shape's workers (RENSTRA_WORKERS, default 1), supervised by this process."""
    from django.conf import settings

    from renstra_gen.web.jobs.queue import Supervisor

    backend = settings.TASKS["default"]["BACKEND"]
    if settings.RENSTRA_WORKERS <= 0 or backend.endswith("ThreadBackend"):
        return None
    sup = Supervisor(settings.RENSTRA_WORKERS)
    sup.start()
    return sup


def serve(host: str = "127.0.0.1", port: int = 8000, https: bool = False) -> None:
    setup(https)
    bootstrap()
    from django.conf import settings
    from django.core.servers.basehttp import WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            if os.environ.get("RENSTRA_ACCESS_LOG") == "1":
                super().log_message(format, *args)

    print(f"Ruang kerja: http://{host}:{port}/  (data: {settings.RENSTRA_DATA}; berhenti: Ctrl+C)", flush=True)
    workers = _local_workers()

    def _terminate(signum, frame):  # SIGTERM (a service manager) ends like Ctrl+C: the workers too
        raise KeyboardInterrupt

    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        _run(host, port, get_wsgi_application(), QuietHandler)
    finally:
        if workers is not None:
            workers.stop()


def _run(host, port, app, handler) -> None:
    from django.core.servers.basehttp import ThreadedWSGIServer

    httpd = ThreadedWSGIServer((host, port), handler, ipv6=False)
    httpd.set_app(app)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def _resume_jobs() -> None:
    """With the in-process thread backend only (its queue dies with the process): jobs of a previous
    run are queued again; one cut off while running is marked failed (its files were never
    published: builds replace outputs atomically). The database and Redis queues keep their jobs
    across a restart of the web process, and run a cut-off one again (jobs/queue.py)."""
    from django.conf import settings
    from django.utils import timezone

    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Job

    if not settings.TASKS["default"]["BACKEND"].endswith("ThreadBackend"):
        return

    Job.objects.filter(state=Job.State.RUNNING).update(
        state=Job.State.FAILED, finished=timezone.now(), progress="Terputus: server dimulai ulang; jalankan lagi")
    for job in Job.objects.filter(state=Job.State.QUEUED).order_by("created"):
        tasks.enqueue(job)
