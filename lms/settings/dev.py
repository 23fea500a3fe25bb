"""Development: the embedded defaults, nothing to configure."""

import os

from .base import *  # noqa: F403
from .base import env_bool

# Links in e-mails and attestations, xAPI ids and Wagtail's admin links follow the port the site runs on
# (`PORT=8170 make run`): scripts/run.sh exports PLATFORM_BASE_URL for every process; by hand, PORT is enough.
if not os.environ.get("PLATFORM_BASE_URL") and os.environ.get("PORT"):
    PLATFORM_BASE_URL = f"http://127.0.0.1:{os.environ['PORT']}"
    WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL

DEBUG = env_bool("DEBUG", True)
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-8c6b0e9f1f5a4a4e9d3b7c2a1e0f9d8c"
WHITENOISE_MAX_AGE = 0
