"""Reads for the admin screens (query-count conscious)."""

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import OutboxState, OutboxStatement

LIST_FIELDS = (
    "pk",
    "statement_id",
    "actor_name",
    "verb",
    "state",
    "attempts",
    "created_at",
    "sent_at",
    "next_attempt_at",
    "last_status",
    "last_error",
)


def outbox_rows(*, state: str = "", learner: str = "") -> QuerySet[OutboxStatement]:
    """Newest first; `learner` is a pseudonym (support: one learner's statements)."""
    qs = OutboxStatement.objects.order_by("-pk")
    if state in OutboxState.values:
        qs = qs.filter(state=state)
    if learner:
        qs = qs.filter(actor_name=learner.strip())
    return qs


@dataclass(frozen=True)
class StatementView:
    row: OutboxStatement
    statement: dict[str, Any]

    @property
    def pretty(self) -> str:
        return json.dumps(self.statement, indent=2, ensure_ascii=False)

    @property
    def object_id(self) -> str:
        return str((self.statement.get("object") or {}).get("id", ""))


def with_statements(rows: list[OutboxStatement]) -> list[StatementView]:
    return [StatementView(row, json.loads(row.json_text)) for row in rows]
