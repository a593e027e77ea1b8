"""Settings for the workspace tests: a throw-away data folder, tasks run at once (ImmediateBackend)."""

import os
import tempfile

os.environ.setdefault("RENSTRA_DATA", tempfile.mkdtemp(prefix="renstra-test-data-"))
os.environ.setdefault("RENSTRA_SECRET_KEY", "tests-only-secret-key-" + "x" * 30)

from renstra_gen.web.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise looks for it
