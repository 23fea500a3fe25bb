"""The outbox: statements are written here in the caller's transaction; the worker delivers them.

States: pending (waiting, `next_attempt_at` says when), in flight (claimed by a worker until `lease_expires_at`;
an expired lease makes the row claimable again, so a killed worker loses nothing), sent, dead (the LRS refused
the statement itself; its answer is kept; an operator may retry it after a fix).
"""

import datetime as dt
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from lms import sql

from . import conf
from .models import OutboxState, OutboxStatement, SenderStatus

MAX_ERROR_CHARS = 4000


def serialize(statement: dict[str, Any]) -> bytes:
    """The exact bytes stored, and sent on every attempt."""
    return json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def enqueue(statements: dict[str, Any] | Sequence[dict[str, Any]]) -> list[OutboxStatement]:
    """Store statements for delivery, inside the caller's transaction (one INSERT for the lot).

    The statement exists if and only if the caller's transaction commits: call this in the same
    `transaction.atomic()` block as the progress or attempt the statement describes.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("xapi.outbox.enqueue must be called inside the caller's transaction.atomic() block")
    items = [statements] if isinstance(statements, dict) else list(statements)
    now = timezone.now()
    rows = [_row(statement, now) for statement in items]
    if not rows:
        return []
    return OutboxStatement.objects.bulk_create(rows)


def insert_select(statement: dict[str, Any], *, source: str, connection) -> tuple[str, list]:
    """The statement's outbox row (the one `enqueue` writes) as `INSERT … SELECT … FROM <source>` and its parameters,
    for a caller that writes its tracking in one SQL statement of data-modifying common table expressions on
    PostgreSQL (`courses.tracking`): the row exists once for each row of `source`, and only if that statement
    commits."""
    return sql.insert_select(_row(statement, timezone.now()), source=source, connection=connection)


def _row(statement: dict[str, Any], now: dt.datetime) -> OutboxStatement:
    if "id" not in statement or "timestamp" not in statement:
        raise ValueError("a statement needs its id and timestamp before it is stored (xapi.statements.build_statement)")
    return OutboxStatement(
        statement_id=uuid.UUID(str(statement["id"])),
        payload=serialize(statement),
        actor_name=str(((statement.get("actor") or {}).get("account") or {}).get("name", ""))[:64],
        verb=str((statement.get("verb") or {}).get("id", ""))[:255],
        state=OutboxState.PENDING,
        next_attempt_at=now,
        created_at=now,
    )


# --- the worker's side ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    pk: int
    statement_id: uuid.UUID
    payload: bytes
    attempts: int


def claimable() -> Q:
    now = timezone.now()
    return Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.IN_FLIGHT, lease_expires_at__lt=now
    )


def claim_batch(*, owner: str, limit: int, lease_seconds: float) -> list[Claimed]:
    """Reserve up to `limit` statements for `owner` and commit the lease before any HTTP call.

    On SQLite the project's IMMEDIATE transactions serialise claims; on PostgreSQL, FOR UPDATE SKIP LOCKED lets
    workers claim different rows at the same time.
    """
    with transaction.atomic():
        qs = OutboxStatement.objects.filter(claimable()).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        rows = list(qs.values_list("pk", "statement_id", "payload", "attempts")[:limit])
        if not rows:
            return []
        now = timezone.now()
        OutboxStatement.objects.filter(pk__in=[r[0] for r in rows]).update(
            state=OutboxState.IN_FLIGHT, lease_owner=owner, lease_expires_at=now + dt.timedelta(seconds=lease_seconds)
        )
    return [Claimed(pk, sid, bytes(payload), attempts) for pk, sid, payload, attempts in rows]


def _owned(owner: str, pks: Iterable[int]):
    return OutboxStatement.objects.filter(pk__in=list(pks), state=OutboxState.IN_FLIGHT, lease_owner=owner)


def mark_sent(*, owner: str, pks: Sequence[int], status: int) -> int:
    return _owned(owner, pks).update(
        state=OutboxState.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_status=status,
        last_error="",
        lease_owner="",
        lease_expires_at=None,
    )


def mark_dead(*, owner: str, pk: int, status: int | None, error: str) -> int:
    return _owned(owner, [pk]).update(
        state=OutboxState.DEAD,
        attempts=F("attempts") + 1,
        last_status=status,
        last_error=error[:MAX_ERROR_CHARS],
        lease_owner="",
        lease_expires_at=None,
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter after `attempts` failed attempts."""
    ceiling = min(conf.retry_max_seconds(), conf.retry_base_seconds() * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not cryptography


def mark_retry(
    *, owner: str, claimed: Sequence[Claimed], status: int | None, error: str, min_delay: float | None = None
) -> int:
    """A transient failure (429, 5xx, timeout, connection): back to pending, later (at least `min_delay` s)."""
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for item in claimed:
        by_attempts[item.attempts + 1].append(item.pk)
    now = timezone.now()
    updated = 0
    for attempts, pks in by_attempts.items():
        updated += _owned(owner, pks).update(
            state=OutboxState.PENDING,
            attempts=attempts,
            next_attempt_at=now + dt.timedelta(seconds=max(backoff_seconds(attempts), min_delay or 0)),
            last_status=status,
            last_error=error[:MAX_ERROR_CHARS],
            lease_owner="",
            lease_expires_at=None,
        )
    return updated


def release(*, owner: str, pks: Sequence[int]) -> int:
    """Give statements back untouched (credentials refused, or the worker stopping): nothing is marked."""
    return _owned(owner, pks).update(state=OutboxState.PENDING, lease_owner="", lease_expires_at=None)


@transaction.atomic
def retry_dead(*, pks: Sequence[int] | None = None) -> int:
    """After a fix: dead statements become pending again (the same bytes are re-sent)."""
    qs = OutboxStatement.objects.filter(state=OutboxState.DEAD)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(state=OutboxState.PENDING, next_attempt_at=timezone.now())


# --- status ---------------------------------------------------------------------------------------------------------


def record_success() -> None:
    SenderStatus.objects.update_or_create(
        key="lrs", defaults={"last_success_at": timezone.now(), "configuration_error": False}
    )


def record_error(message: str, *, configuration: bool = False) -> None:
    SenderStatus.objects.update_or_create(
        key="lrs",
        defaults={
            "last_error_at": timezone.now(),
            "last_error": message[:MAX_ERROR_CHARS],
            "configuration_error": configuration,
        },
    )


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    oldest_pending_at: dt.datetime | None
    last_error: str
    last_error_at: dt.datetime | None
    last_success_at: dt.datetime | None
    configuration_error: bool
    lrs_configured: bool
    lrs_endpoint: str

    @property
    def oldest_pending_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None


def summary() -> OutboxSummary:
    """The outbox at a glance (three queries)."""
    counts = dict.fromkeys(OutboxState.values, 0)
    for row in OutboxStatement.objects.values("state").annotate(n=Count("pk")).order_by():
        counts[row["state"]] = row["n"]
    oldest = OutboxStatement.objects.filter(state__in=[OutboxState.PENDING, OutboxState.IN_FLIGHT]).aggregate(
        m=Min("created_at")
    )["m"]
    status = SenderStatus.objects.filter(key="lrs").first()
    config = conf.lrs_config()
    return OutboxSummary(
        counts=counts,
        oldest_pending_at=oldest,
        last_error=status.last_error if status else "",
        last_error_at=status.last_error_at if status else None,
        last_success_at=status.last_success_at if status else None,
        configuration_error=bool(status and status.configuration_error),
        lrs_configured=config.configured,
        lrs_endpoint=config.endpoint,
    )
