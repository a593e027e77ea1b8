"""Django settings of the workspace: embedded default (SQLite in the data folder), PostgreSQL via DATABASE_URL.

Environment:
  RENSTRA_DATA        the data folder (database, one content repository per office, build outputs);
                      default: $XDG_DATA_HOME/renstra or ~/.local/share/renstra
  DATABASE_URL        e.g. postgres://user:pass@host:5432/renstra (default: SQLite in the data folder)
  RENSTRA_SECRET_KEY  secret key (default: generated once into the data folder)
  RENSTRA_HOSTS       comma-separated host names served (default: 127.0.0.1,localhost)
  RENSTRA_HTTPS       "0" only for plain HTTP on loopback (`renstra serve` sets it): cookies not Secure
  RENSTRA_REDIS_URL   e.g. redis://host:6379/0: jobs on RQ, workers (`renstra pekerja`) on any machine
  RENSTRA_WORKERS     worker processes `renstra serve` starts and supervises (default 1; 0: none)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from csp.constants import NONE, SELF


def data_dir() -> Path:
    env = os.environ.get("RENSTRA_DATA")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return (Path(base) / "renstra").resolve()


RENSTRA_DATA = data_dir()
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    key = os.environ.get("RENSTRA_SECRET_KEY")
    if key:
        return key
    path = RENSTRA_DATA / "secret-key"
    try:
        return path.read_text().strip()
    except OSError:
        pass
    try:
        RENSTRA_DATA.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
    except FileExistsError:
        return path.read_text().strip()
    except OSError:
        return secrets.token_urlsafe(50)  # a read-only place: sessions do not survive a restart


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("RENSTRA_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("RENSTRA_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "csp",
    "renstra_gen.web.kantor",
    "renstra_gen.web.audit",
    "renstra_gen.web.jobs",
    "renstra_gen.web.editing",
    "renstra_gen.web.tinjauan",  # review rounds, approval, signature (issue 31)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "renstra_gen.web.urls"
WSGI_APPLICATION = "renstra_gen.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        return {"default": dj_database_url.parse(url, conn_max_age=60)}
    return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": RENSTRA_DATA / "ruang-kerja.sqlite3",
                        # WAL with synchronous=NORMAL: a commit (a worker's job state, a save's audit row)
                        # does not wait for the disk; still never corrupt (issue 31, save latency under load)
                        "OPTIONS": {"timeout": 20,
                                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: Argon2 first; sessions end after 8 hours or when the browser closes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/masuk/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
_HTTPS = os.environ.get("RENSTRA_HTTPS", "1") != "0"
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # the PDF preview is an <iframe> of our own page
if os.environ.get("RENSTRA_PROXY_HTTPS") == "1":  # behind a TLS-terminating reverse proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("RENSTRA_CSRF_ORIGINS", "").split(",") if o]

#: Login throttling: this many failures per user name or address within the window -> refused.
LOGIN_FAILURES_ALLOWED = 5
LOGIN_FAILURE_WINDOW = 15 * 60

# Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [SELF],
    "frame-ancestors": [SELF],
    "form-action": [SELF],
    "base-uri": [NONE],
}}

# Uploads: limits checked before anything is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # a grid of a few hundred rows x 2 x years
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# Signed PDFs uploaded back are checked (`renstra periksa-ttd`) against these trust roots: the files named
# in RENSTRA_TTE_AKAR (separated by ':'), else every .pem/.crt/.cer/.der in <data folder>/tte-akar/.
RENSTRA_TTE_AKAR = os.environ.get("RENSTRA_TTE_AKAR", "")

LANGUAGE_CODE = "id"
TIME_ZONE = os.environ.get("RENSTRA_TZ", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = RENSTRA_DATA / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # `renstra serve` works without collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Jobs: Django's task API (django.tasks in Django 6; the django-tasks backport here), on a real queue
# (renstra_gen/web/jobs/queue.py; docs/antrean.md):
#  - embedded default: django-tasks-db, the queue in this database; `renstra serve` starts and
#    supervises RENSTRA_WORKERS worker processes (`renstra pekerja`) on this machine;
#  - production: RENSTRA_REDIS_URL=redis://host:6379/0 -> RQ (django-tasks-rq), workers on any
#    machine (`renstra pekerja` with the same database, Redis and data folder).
#  RENSTRA_TASKS_BACKEND names another backend outright (the thread backend: jobs.backend.ThreadBackend).
REDIS_URL = os.environ.get("RENSTRA_REDIS_URL", "")
RENSTRA_WORKERS = int(os.environ.get("RENSTRA_WORKERS", "1") or 0)
#: A build's lease on its office (seconds): renewed while the job runs; a dead worker's lease lapses.
RENSTRA_LEASE_SECONDS = int(os.environ.get("RENSTRA_LEASE_SECONDS", "90"))
#: How long a job may run before the queue ends it (seconds).
RENSTRA_JOB_TIMEOUT = int(os.environ.get("RENSTRA_JOB_TIMEOUT", "1800"))
INSTALLED_APPS += ["django_tasks_db"]
if os.environ.get("RENSTRA_TASKS_BACKEND"):
    TASKS = {"default": {"BACKEND": os.environ["RENSTRA_TASKS_BACKEND"]}}
elif REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": RENSTRA_JOB_TIMEOUT}}
    TASKS = {"default": {"BACKEND": "renstra_gen.web.jobs.queue.RQBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
