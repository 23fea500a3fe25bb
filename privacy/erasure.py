"""Erasure: identity removed, pseudonym mapping deleted, learning records kept anonymously.

Each app erases its own rows (`lms.personal_data`: its declaration's erasure steps, run in their order); what happens
to each table is documented in docs/data-protection.md ("Erasure").
"""

from dataclasses import dataclass, field

from django.db import connection, transaction

from lms.audit import AuditEntry, audit
from lms.personal_data import erasure_steps


@dataclass
class ErasureResult:
    user_id: int
    deleted: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def erase_user(*, user, by=None) -> ErasureResult:
    """Erase a person's account: every app's erasure step, between two entries of the audit log."""
    result = ErasureResult(user_id=user.pk)
    audit(actor=by or user, action=AuditEntry.Action.ERASURE_REQUESTED, subject_id=user.pk)
    for step in erasure_steps():
        result.deleted.update(step.run(user))
    transaction.on_commit(_checkpoint_sqlite)
    audit(
        actor=by or None,
        action=AuditEntry.Action.ERASURE_COMPLETED,
        subject_id=result.user_id,
        detail={"deleted": result.deleted},
    )
    return result


def _checkpoint_sqlite() -> None:
    """On SQLite, move the write-ahead log into the database file (where secure_delete has zeroed the erased values)
    and empty it, rather than leave the old pages in the log until the next automatic checkpoint."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
