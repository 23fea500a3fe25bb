"""Writes: competency evidence (who showed what, from which activity), recorded by quizzes and lessons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import CompetencyItem, Evidence, EvidenceKind


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence for ``record_evidence_bulk``."""

    item: CompetencyItem | int
    source_key: str
    attempt_key: str | None = None
    question_key: str | None = None
    kind: str = EvidenceKind.ANSWER
    correct: bool | None = None
    score: float | None = None
    occurred_at: dt.datetime | None = None


def _evidence_row(user, entry: EvidenceInput, now: dt.datetime) -> Evidence:
    if not entry.source_key:
        raise ValueError("source_key is required")
    if entry.kind not in EvidenceKind.values:
        raise ValueError(f"unknown evidence kind {entry.kind!r}")
    if entry.score is not None and not 0.0 <= entry.score <= 1.0:
        raise ValueError("score must be between 0 and 1")
    item_id = entry.item if isinstance(entry.item, int) else entry.item.pk
    return Evidence(
        user=user,
        item_id=item_id,
        source_key=entry.source_key[:255],
        attempt_key=(entry.attempt_key or "")[:255],
        question_key=(entry.question_key or "")[:255],
        kind=entry.kind,
        correct=entry.correct,
        score=entry.score,
        occurred_at=entry.occurred_at or now,
    )


@transaction.atomic
def record_evidence_bulk(*, user, entries: Sequence[EvidenceInput]) -> int:
    """Record several pieces of evidence in one statement (a quiz submission). Recording the same
    (item, source, attempt, question, kind) again updates it instead of duplicating it. Returns the count."""
    now = timezone.now()
    unique: dict[tuple, Evidence] = {}
    for entry in entries:  # the same key twice in one call: the last one wins (one row per key)
        row = _evidence_row(user, entry, now)
        unique[(row.item_id, row.source_key, row.attempt_key, row.question_key, row.kind)] = row
    rows = list(unique.values())
    if not rows:
        return 0
    Evidence.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "item", "source_key", "attempt_key", "question_key", "kind"],
        update_fields=["correct", "score", "occurred_at"],
        batch_size=500,
    )
    return len(rows)


@transaction.atomic
def record_evidence(
    *,
    user,
    item: CompetencyItem | int,
    source_key: str,
    attempt_key: str | None = None,
    question_key: str | None = None,
    kind: str = EvidenceKind.ANSWER,
    correct: bool | None = None,
    score: float | None = None,
    occurred_at: dt.datetime | None = None,
) -> None:
    """Record that ``user`` showed evidence for ``item`` in the activity ``source_key`` (an opaque stable key)."""
    record_evidence_bulk(
        user=user,
        entries=[EvidenceInput(item, source_key, attempt_key, question_key, kind, correct, score, occurred_at)],
    )
