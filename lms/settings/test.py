"""Tests: fast hashing, in-memory e-mail; the database is SQLite unless DATABASE_URL says otherwise."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, WAGTAILSEARCH_BACKENDS

SECRET_KEY = "test-only-not-secret-1f2e3d4c5b6a79808f7e6d5c4b3a2910"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = True  # through lms.media, as in development
MEDIA_ROOT = tempfile.mkdtemp(prefix="lms-test-media-")
EXPORTS_DIR = Path(tempfile.mkdtemp(prefix="lms-test-exports-"))
REPORTS_EXPORT_DIR = EXPORTS_DIR / "reports"
PLATFORM_BASE_URL = "https://formation-ia.example.org"
WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL
LRS_ENDPOINT = ""
AXES_ENABLED = True
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "jobs": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
if not os.environ.get("DATABASE_URL"):
    # A file (not :memory:) so that a worker started by a test in another process sees the same database.
    DATABASES["default"]["NAME"] = os.path.join(tempfile.gettempdir(), f"lms-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"lms-test-{os.getpid()}.sqlite3")}
# Pages and questions are not indexed for search on every save (a third of the time loading the demo takes): the
# tests that search turn it back on for their module (tests/conftest.py: search_index).
WAGTAILSEARCH_BACKENDS = {"default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
WHITENOISE_AUTOREFRESH = True
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
