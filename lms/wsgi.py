"""The WSGI entry point. Without DJANGO_SETTINGS_MODULE it runs the production settings, which refuse to start
without a strong SECRET_KEY: a forgotten variable never serves DEBUG pages signed with the repository's key.
Development runs through manage.py (lms.settings.dev)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
application = get_wsgi_application()
