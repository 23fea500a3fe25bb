"""Production: refuses to start without a real secret key; passes `manage.py check --deploy`."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool
from .secret_key import secret_key_problem

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
_problem = secret_key_problem(SECRET_KEY)
if _problem:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set to a long random value in production: {_problem} "
        '(for example: python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Production always sends real e-mail: SMTP at EMAIL_HOST, or a local MTA on localhost:25.
if "console" in MAILERS["default"]["BACKEND"].lower():  # noqa: F405 - Django's or lms.mail's console backend
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25},
        }
    }

# Several web processes (gunicorn workers, several machines) behind one address share the log-in sessions and the
# cache through the database (DATABASE_URL), with no other service to run (docs/capacity.md explains the choice).
# Rate limits (attestation verification, data downloads) must hold across processes: a database cache.
# Create its table once with `manage.py createcachetable` (the deployment steps in the README do).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lms_cache"}}
