"""The production settings as they are (database sessions and cache, DEBUG off), for the web processes that
tests/lms/test_scale_out.py starts, with two changes: static files without collectstatic's manifest, and the test
suite's fast password hashes understood (accounts are created by the test process, lms.settings.test)."""

from django.conf import global_settings

from lms.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
