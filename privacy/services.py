"""Learners' rights (download, erasure), retention and the audit log."""

import datetime as dt
import io
import json
import secrets
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lms.spreadsheets import csv_text

from .inventory import personal_models
from .models import AuditEntry

# Fields never exported (secrets) and models whose rows are system records about the account.
SECRET_FIELDS = {"password", "session_key", "session_data", "verification_code_hash"}
STATEMENTS_LABEL = "xapi.OutboxStatement (statements about you)"
# Titles for tables whose model has no translated name of its own.
TABLE_TITLES = {
    "courses.LearningSession": gettext_lazy("Learning sessions"),
    "assessments.Response": gettext_lazy("Quiz answers"),
}


def audit(
    *, actor, action: str, subject_id: int | None = None, detail: dict | None = None, row_count: int | None = None
) -> AuditEntry:
    """Record who did what with personal data: never the data itself."""
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = f"#{actor.pk}"
    return AuditEntry.objects.create(
        actor=actor if label else None,
        actor_label=label,
        action=action,
        subject_id=subject_id,
        detail=detail or {},
        row_count=row_count,
    )


def _value(value):
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")
    return value


def _rows(model: type[models.Model], queryset) -> list[dict]:
    names = [
        f.attname for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS and f.attname not in SECRET_FIELDS
    ]
    return [{name: _value(row[name]) for name in names} for row in queryset.values(*names)]


def _without_answer_keys(statement: dict) -> dict:
    """A statement as the learner may read it: no correct-response pattern (the answer key of a question that may
    come back in a later attempt)."""
    definition = statement.get("object", {}).get("definition")
    if isinstance(definition, dict):
        definition.pop("correctResponsesPattern", None)
    return statement


def _open_quiz_keys(user) -> dict[str, dt.datetime]:
    from assessments.models import Attempt, AttemptState

    return {
        str(key): started
        for key, started in Attempt.objects.filter(user=user, state=AttemptState.IN_PROGRESS).values_list(
            "quiz_key", "started_at"
        )
    }


def _during_open_attempt(statement: dict, open_quizzes: dict[str, dt.datetime]) -> bool:
    """An answer given during an attempt still open: its success is not shown before the attempt ends."""
    parents = statement.get("context", {}).get("contextActivities", {}).get("parent", [])
    try:
        when = dt.datetime.fromisoformat(str(statement.get("timestamp", "")).replace("Z", "+00:00"))
    except ValueError:
        when = None
    for parent in parents:
        started = open_quizzes.get(str(parent.get("id", "")).rsplit("/", 1)[-1])
        if started is not None and (when is None or when >= started):
            return True
    return False


def _outbox_rows(user, open_quizzes: dict[str, dt.datetime]) -> list[dict]:
    from xapi.models import OutboxStatement, XapiPseudonym

    pseudonym = XapiPseudonym.objects.filter(user=user).values_list("pseudonym", flat=True).first()
    if not pseudonym:
        return []
    rows = _rows(OutboxStatement, OutboxStatement.objects.filter(actor_name=pseudonym).order_by("pk"))
    for row in rows:
        statement = row.get("payload")
        if isinstance(statement, dict):
            _without_answer_keys(statement)
            if _during_open_attempt(statement, open_quizzes):
                for name in ("success", "score"):
                    statement.get("result", {}).pop(name, None)
    return rows


# Internal state the learner is never shown: the per-attempt token map and question draw (`layout`), and, while an
# attempt is open, how each answer was scored (shown when the attempt ends).
HIDDEN_ALWAYS = {"assessments.Attempt": {"layout"}}
HIDDEN_WHILE_OPEN = {"assessments.Response": {"success", "raw", "max"}}


def _shown_to_learner(label: str, rows: list[dict], open_attempt_ids: set) -> list[dict]:
    hidden = HIDDEN_ALWAYS.get(label, set())
    while_open = HIDDEN_WHILE_OPEN.get(label, set())
    shown = []
    for row in rows:
        drop = set(hidden)
        if while_open and row.get("attempt_id") in open_attempt_ids:
            drop |= while_open
        shown.append({k: v for k, v in row.items() if k not in drop})
    return shown


def collect(user) -> dict[str, list[dict]]:
    """Every personal row about `user`, by model label, plus the statements the platform produced about them; only
    what the learner may see (no answer keys, nothing about an open attempt's scoring)."""
    from assessments.models import Attempt, AttemptState

    open_attempt_ids = set(
        Attempt.objects.filter(user=user, state=AttemptState.IN_PROGRESS).values_list("pk", flat=True)
    )
    data: dict[str, list[dict]] = {}
    for personal in personal_models():
        queryset = personal.model._default_manager.filter(**{personal.path: user.pk}).order_by("pk")
        rows = _shown_to_learner(personal.label, _rows(personal.model, queryset), open_attempt_ids)
        if rows:
            data[personal.label] = rows
    data[STATEMENTS_LABEL] = _outbox_rows(user, _open_quiz_keys(user))
    return data


def _csv(rows: list[dict]) -> str:
    """One table as CSV for a spreadsheet: every cell through the platform's formula-neutralising writer."""
    header = list(rows[0])
    return csv_text(
        header,
        (
            [
                json.dumps(v, cls=DjangoJSONEncoder, ensure_ascii=False) if isinstance(v, dict | list) else v
                for v in (row.get(k) for k in header)
            ]
            for row in rows
        ),
    )


def _table_title(label: str) -> str:
    """A table's name as a person reads it, in the active language (its model's plural verbose name)."""
    from django.apps import apps
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    if label == STATEMENTS_LABEL:
        return _("Learning statements about you (sent to the learning record store under a pseudonym)")
    if label in TABLE_TITLES:
        return str(TABLE_TITLES[label])
    return str(capfirst(apps.get_model(label)._meta.verbose_name_plural))


@transaction.atomic
def export_user_data(*, user) -> bytes:
    """A ZIP: index.html (readable, in the learner's language), data.json (everything), one CSV per table."""
    from django.utils import translation
    from django.utils.text import slugify

    from . import readable

    data = collect(user)
    language = user.preferred_language if user.preferred_language in ("fr", "en") else "fr"
    buffer = io.BytesIO()
    with translation.override(language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        files = []
        used: set[str] = set()
        for label, rows in data.items():
            if not rows:
                continue
            title = _table_title(label)
            stem = slugify(title)[:60].strip("-") or "table"
            name, n = f"csv/{stem}.csv", 2
            while name in used:
                name, n = f"csv/{stem}-{n}.csv", n + 1
            used.add(name)
            archive.writestr(name, _csv(rows))
            files.append({"title": title, "file": name, "count": len(rows)})
        index = render_to_string(
            "privacy/export_index.html",
            {
                "language": language,
                "files": files,
                "readable": readable.build(user, language=language),
                "generated": readable.human_date(timezone.now(), with_time=True),
            },
        )
        archive.writestr("index.html", index)
    audit(
        actor=user,
        action=AuditEntry.Action.DATA_EXPORT,
        subject_id=user.pk,
        row_count=sum(len(r) for r in data.values()),
    )
    return buffer.getvalue()


def estimated_rows(*, user) -> int:
    """A cheap estimate of the archive's size, to choose between an immediate download and a background job."""
    from assessments.models import Response
    from competencies.models import Evidence
    from courses.models import ActivityProgress

    return (
        Response.objects.filter(attempt__user=user).count()
        + Evidence.objects.filter(user=user).count()
        + ActivityProgress.objects.filter(enrolment__user=user).count() * 4  # ~ statements per activity
    )


def sync_export_max_rows() -> int:
    return int(getattr(settings, "PRIVACY_SYNC_EXPORT_MAX_ROWS", 5000))


def request_data_export(*, user):
    """Queue a background export; the learner follows it on a page and downloads it when ready."""
    from .models import DataExport
    from .tasks import build_data_export

    export = DataExport.objects.create(user=user, token=secrets.token_urlsafe(32))
    transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


def build_data_export_file(*, export_id: int) -> None:
    from pathlib import Path

    from .models import DataExport

    export = DataExport.objects.select_related("user").get(pk=export_id)
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING)
    try:
        archive = export_user_data(user=export.user)
        directory = Path(settings.EXPORTS_DIR) / "privacy"
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{export.token}.zip"
        (directory / name).write_bytes(archive)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.DONE, file_name=name, finished_at=timezone.now()
        )
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        raise


@dataclass
class ErasureResult:
    user_id: int
    deleted: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def erase_user(*, user, by=None) -> ErasureResult:
    """Erase a learner: identity removed, pseudonym mapping deleted, learning records kept anonymously.

    What happens to each table is documented in docs/data-protection.md ("Erasure").
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from xapi.models import OutboxStatement, XapiPseudonym

    result = ErasureResult(user_id=user.pk)
    audit(actor=by or user, action=AuditEntry.Action.ERASURE_REQUESTED, subject_id=user.pk)
    email = user.email
    pseudonym = XapiPseudonym.objects.filter(user=user).values_list("pseudonym", flat=True).first()
    if pseudonym:
        # Statements not yet delivered are dropped; delivered ones leave the outbox. The LRS keeps only the
        # pseudonym, which nothing links to the person once the mapping below is gone.
        result.deleted["xapi.OutboxStatement"] = OutboxStatement.objects.filter(actor_name=pseudonym).delete()[0]
    result.deleted["xapi.XapiPseudonym"] = XapiPseudonym.objects.filter(user=user).delete()[0]
    # Each enrolment's registration is the statements' context.registration: the shell gets fresh random ones, so
    # the LRS history (which keeps the old ones) can no longer be tied to it.
    from courses.models import Enrolment

    enrolments = list(Enrolment.objects.filter(user=user).only("pk"))
    for enrolment in enrolments:
        enrolment.registration = uuid.uuid4()
    Enrolment.objects.bulk_update(enrolments, ["registration"])
    result.deleted["courses.Enrolment (xAPI registration replaced)"] = len(enrolments)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        result.deleted[model._meta.label] = model.objects.filter(username__iexact=email).delete()[0]
    # Attestations stay verifiable, without naming anyone.
    from reports.models import Attestation, ExportJob

    result.deleted["reports.Attestation (name removed)"] = Attestation.objects.filter(enrolment__user=user).update(
        learner_name=""
    )
    result.deleted["reports.ExportJob"] = ExportJob.objects.filter(user=user).delete()[0]
    # Free-text answers may hold anything the learner typed: removed; scores and choices stay for statistics.
    from assessments.models import QuestionType, Response

    result.deleted["assessments.Response (free text removed)"] = Response.objects.filter(
        attempt__user=user, question__question_type=QuestionType.SHORT_TEXT
    ).update(response_text="", value="")
    from wagtail.users.models import UserProfile

    result.deleted["wagtailusers.UserProfile"] = UserProfile.objects.filter(user=user).delete()[0]
    from lms.models import SsoIdentity

    # The link to the identity provider: a later log-in there creates a new, unrelated account.
    result.deleted["lms.SsoIdentity"] = SsoIdentity.objects.filter(user=user).delete()[0]
    from .models import DataExport

    for export in DataExport.objects.filter(user=user).exclude(file_name=""):
        (Path(settings.EXPORTS_DIR) / "privacy" / export.file_name).unlink(missing_ok=True)
    result.deleted["privacy.DataExport"] = DataExport.objects.filter(user=user).delete()[0]
    # The account stays as an anonymous row so that figures ("completions in March") stay right.
    user.email = f"efface-{secrets.token_hex(8)}@invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.email_confirmed_at = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # A trainer named on training sessions is no longer named (memberships, attendance and reminders stay anonymous).
    result.deleted["cohorts.TrainingSession.trainers"] = user.training_sessions_as_trainer.count()
    user.training_sessions_as_trainer.clear()
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
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# --- Retention ---

RETENTION_DEFAULTS = {
    "INACTIVE_WARN_DAYS": 730,  # warn accounts inactive for two years…
    "INACTIVE_ERASE_DAYS": 30,  # …and anonymise them 30 days after the warning
    "SENT_STATEMENTS_DAYS": 90,  # delivered xAPI statements leave the outbox
    "EXPORT_FILES_DAYS": 7,  # generated export files
    "LOGIN_RECORDS_DAYS": 30,  # failed log-in records (django-axes)
    "AUDIT_DAYS": 365 * 3,
}


def retention(name: str) -> int:
    return int(getattr(settings, "PRIVACY_RETENTION", {}).get(name, RETENTION_DEFAULTS[name]))


@dataclass
class RetentionSummary:
    warned: int = 0
    anonymised: int = 0
    statements_purged: int = 0
    export_files_deleted: int = 0
    login_records_deleted: int = 0
    audit_entries_deleted: int = 0

    def lines(self) -> list[str]:
        return [f"{name.replace('_', ' ')}: {value}" for name, value in self.__dict__.items()]


def apply_retention(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionSummary:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from lms.models import User
    from xapi.models import OutboxStatement

    now = now or timezone.now()
    summary = RetentionSummary()
    inactive_since = now - dt.timedelta(days=retention("INACTIVE_WARN_DAYS"))
    erase_after = dt.timedelta(days=retention("INACTIVE_ERASE_DAYS"))
    learners = User.objects.filter(
        is_active=True, is_staff=False, is_superuser=False, groups__isnull=True
    ) | User.objects.filter(is_active=True, is_staff=False, is_superuser=False, groups__name="Enseignants")
    learners = learners.distinct()
    to_warn = learners.filter(last_login__lt=inactive_since, retention_warned_at__isnull=True)
    to_erase = learners.filter(last_login__lt=inactive_since, retention_warned_at__lt=now - erase_after)
    summary.warned = to_warn.count()
    summary.anonymised = to_erase.count()
    old_sent = OutboxStatement.objects.filter(
        state="sent", sent_at__lt=now - dt.timedelta(days=retention("SENT_STATEMENTS_DAYS"))
    )
    summary.statements_purged = old_sent.count()
    login_cutoff = now - dt.timedelta(days=retention("LOGIN_RECORDS_DAYS"))
    login_querysets = [
        AccessAttempt.objects.filter(attempt_time__lt=login_cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff),
        AccessLog.objects.filter(attempt_time__lt=login_cutoff),
    ]
    summary.login_records_deleted = sum(q.count() for q in login_querysets)
    old_audit = AuditEntry.objects.filter(at__lt=now - dt.timedelta(days=retention("AUDIT_DAYS")))
    summary.audit_entries_deleted = old_audit.count()
    export_files = _old_export_files(now - dt.timedelta(days=retention("EXPORT_FILES_DAYS")))
    summary.export_files_deleted = len(export_files)
    if dry_run:
        return summary
    for user in to_warn:
        _warn_inactive(user)
    User.objects.filter(pk__in=[u.pk for u in to_warn]).update(retention_warned_at=now)
    for user in list(to_erase):
        erase_user(user=user)
    old_sent.delete()
    for queryset in login_querysets:
        queryset.delete()
    old_audit.delete()
    for path in export_files:
        path.unlink(missing_ok=True)
    audit(actor=None, action=AuditEntry.Action.RETENTION, detail=summary.__dict__)
    return summary


def _old_export_files(cutoff: dt.datetime):
    directory = Path(settings.EXPORTS_DIR)
    if not directory.is_dir():
        return []
    return [
        p
        for p in directory.rglob("*")
        if p.is_file() and dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC) < cutoff
    ]


def _warn_inactive(user) -> None:
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(user.preferred_language or "fr"):
        send_mail(
            _("Your account will be anonymised"),
            _(
                "Hello,\n\nYou have not logged in to the AI & teaching training platform for a long time. "
                "Without a log-in within %(days)d days, your account will be anonymised: your learning records will "
                "only be kept as anonymous statistics. To keep your account, simply log in: %(url)s\n"
            )
            % {"days": retention("INACTIVE_ERASE_DAYS"), "url": settings.PLATFORM_BASE_URL},
            None,
            [user.email],
        )
