"""Development: the embedded defaults, nothing to configure."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-8c6b0e9f1f5a4a4e9d3b7c2a1e0f9d8c"
WHITENOISE_MAX_AGE = 0
