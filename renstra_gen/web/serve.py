"""`renstra serve`: migrate, create the admin account and the demo office on first run, then serve.

The embedded shape: one process, SQLite in the data folder, builds on a worker thread of the same
process (jobs/backend.py). For a regency: PostgreSQL (DATABASE_URL), gunicorn, see the README."""

from __future__ import annotations

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
    _run(host, port, get_wsgi_application(), QuietHandler)


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
    """Jobs of a previous run of this process: queued ones are queued again; one cut off while
    running is marked failed (its files were never published: builds replace outputs atomically)."""
    from django.utils import timezone

    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Job

    Job.objects.filter(state=Job.State.RUNNING).update(
        state=Job.State.FAILED, finished=timezone.now(), progress="Terputus: server dimulai ulang; jalankan lagi")
    for job in Job.objects.filter(state=Job.State.QUEUED).order_by("created"):
        tasks.enqueue(job)
