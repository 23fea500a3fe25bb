"""Reports read from a replica when one is configured; everything else (and every write) stays on `default`.

`DATABASE_REPLICA_URL` adds the `replica` alias (lms/settings/base.py). Code that may read slightly old data — the
managers' reports and exports — marks its reads with `reads_from_replica()` (a context manager and a decorator);
the router then sends those reads, and only those, to the replica. Without the alias, everything stays on `default`.
Writes made inside such a block (the audit log entry of a report view) still go to `default`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def _replica_block() -> Iterator[None]:
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica[F: Callable[..., Any]](func: F | None = None) -> Any:
    """`with reads_from_replica():` or `@reads_from_replica`: reads inside go to the replica when there is one."""
    if func is None:
        return _replica_block()

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _replica_block():
            result = func(*args, **kwargs)
        if getattr(result, "streaming", False):
            # A streamed export runs its queries after the view has returned: keep them on the replica too.
            result.streaming_content = _in_block(result.streaming_content)
        return result

    return wrapper  # type: ignore[return-value]


def _in_block(content: Iterator[Any]) -> Iterator[Any]:
    iterator = iter(content)
    while True:
        with _replica_block():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    """Reads inside `reads_from_replica()` go to `replica` (if configured); all writes go to `default`."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None  # Django's default: `default`, or the database of the instance it starts from

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Explicit: an object read from the replica is saved to the primary, never to the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True  # the same data, one of them possibly a little older
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # A replica is a physical copy of the primary: never migrated on its own.
        return False if db == REPLICA else None
