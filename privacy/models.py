"""Data protection: legal pages, learners' data requests (the audit log is `lms.audit`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class LegalPage(Page):
    """Privacy notice, legal notice, accessibility statement: editable, in French and English, linked in the footer."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        LEGAL_NOTICE = "legal_notice", _("Legal notice")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    last_reviewed = models.DateField(_("last reviewed on"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body"), FieldPanel("last_reviewed")]
    parent_page_types = ["courses.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")


class DataExport(models.Model):
    """A learner's data archive built in the background (large histories), downloaded by its owner only."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=43, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("personal data export")

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"
