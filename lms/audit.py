"""The audit log of access to personal data: who viewed or exported it, and the data requests; never the data.

Every app may record an entry (`audit()`); national administrators read the log in the administration
(`privacy.admin_views`). The table keeps its first name, `privacy_auditentry` (the model moved here from `privacy`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who looked at or exported personal data, and the data requests: never the data itself."""

    class Action(models.TextChoices):
        REPORT_VIEW = "report_view", _("viewed a report")
        REPORT_EXPORT = "report_export", _("exported a report")
        DATA_EXPORT = "data_export", _("downloaded their data")
        ERASURE_REQUESTED = "erasure_requested", _("erasure requested")
        ERASURE_COMPLETED = "erasure_completed", _("erasure completed")
        RETENTION = "retention", _("retention applied")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    subject_id = models.PositiveBigIntegerField(_("account concerned (id)"), null=True, blank=True)
    detail = models.JSONField(_("filters and figures"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        app_label = "lms"
        db_table = "privacy_auditentry"
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


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
