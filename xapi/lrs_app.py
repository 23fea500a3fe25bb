"""ASGI entry point for the local Ralph LRS (served by scripts/lrs.sh, in Ralph's own virtualenv).

Ralph 5.1.0's filesystem backend accepts only the first write and answers 500 ("already exists and overwrite is
not allowed") to every later one. Switching its default operation to APPEND before the app is imported fixes it.
This module never imports Django and is not used by the platform itself.
"""

from ralph.backends.data.base import BaseOperationType  # type: ignore[import-not-found]
from ralph.backends.lrs.fs import FSLRSBackend  # type: ignore[import-not-found]

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # type: ignore[import-not-found]  # noqa: E402

__all__ = ["app"]
