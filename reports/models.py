"""Export jobs (large exports run in the background) and attestations (with their verification code)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, default="completions")
    fmt = models.CharField(max_length=5)
    delimiter = models.CharField(max_length=1, default=",")
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")

    def __str__(self) -> str:
        return f"{self.kind} {self.fmt} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))


class Attestation(models.Model):
    """What an attestation says is fixed when it is issued; the verification page shows exactly that."""

    enrolment = models.OneToOneField("courses.Enrolment", on_delete=models.CASCADE, related_name="attestation")
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    learner_name = models.CharField(_("learner"), max_length=300)
    course_title_fr = models.CharField(max_length=255)
    course_title_en = models.CharField(max_length=255)
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    competencies = models.JSONField(default=list)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attestation")

    def __str__(self) -> str:
        return self.code

    def course_title(self, language: str | None = None) -> str:
        return self.course_title_en if (language or get_language() or "fr")[:2] == "en" else self.course_title_fr

    def competency_labels(self, language: str | None = None) -> list[str]:
        lang = "en" if (language or get_language() or "fr")[:2] == "en" else "fr"
        return [
            f"{c.get('code', '')} {c.get(f'label_{lang}') or c.get('label_fr') or ''}".strip()
            for c in self.competencies
        ]
