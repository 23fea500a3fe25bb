"""Retention: inactive accounts warned then anonymised, and old records deleted (each app declares which, in
`lms.personal_data`), applied daily by `manage.py apply_retention`."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms import roles
from lms.audit import AuditEntry, audit
from lms.models import User
from lms.personal_data import declarations

from .erasure import erase_user

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
    now = now or timezone.now()
    summary = RetentionSummary()
    inactive_since = now - dt.timedelta(days=retention("INACTIVE_WARN_DAYS"))
    erase_after = dt.timedelta(days=retention("INACTIVE_ERASE_DAYS"))
    learners = User.objects.filter(
        is_active=True, is_staff=False, is_superuser=False, groups__isnull=True
    ) | User.objects.filter(is_active=True, is_staff=False, is_superuser=False, groups__name=roles.TEACHERS)
    learners = learners.distinct()
    to_warn = learners.filter(last_login__lt=inactive_since, retention_warned_at__isnull=True)
    to_erase = learners.filter(last_login__lt=inactive_since, retention_warned_at__lt=now - erase_after)
    summary.warned = to_warn.count()
    summary.anonymised = to_erase.count()
    expired = []
    for declaration in declarations():
        for expiry in declaration.expiries:
            querysets = expiry.records(now - dt.timedelta(days=retention(expiry.period)))
            setattr(summary, expiry.summary, getattr(summary, expiry.summary) + sum(q.count() for q in querysets))
            expired += querysets
    export_files = _old_export_files(now - dt.timedelta(days=retention("EXPORT_FILES_DAYS")))
    summary.export_files_deleted = len(export_files)
    if dry_run:
        return summary
    for user in to_warn:
        _warn_inactive(user)
    User.objects.filter(pk__in=[u.pk for u in to_warn]).update(retention_warned_at=now)
    for user in list(to_erase):
        erase_user(user=user)
    for queryset in expired:
        queryset.delete()
    for path in export_files:
        path.unlink(missing_ok=True)
    audit(actor=None, action=AuditEntry.Action.RETENTION, detail=summary.__dict__)
    return summary


def _old_export_files(cutoff: dt.datetime) -> list[Path]:
    directory = Path(settings.EXPORTS_DIR)
    if not directory.is_dir():
        return []
    return [
        p
        for p in directory.rglob("*")
        if p.is_file() and dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC) < cutoff
    ]


def _warn_inactive(user) -> None:
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
