"""WSGI entry point (gunicorn renstra_gen.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renstra_gen.web.settings")
application = get_wsgi_application()
