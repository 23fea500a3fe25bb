"""Settings of bench/bench_pages.py: production's (DEBUG off, database cache), plus the baseline page type.

Static files without the manifest (no collectstatic needed: static files are not what is measured).
"""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchpages"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
