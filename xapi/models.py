"""Actor pseudonyms and the statement outbox."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_pseudonym() -> str:
    """A random, opaque account name: never derived from the e-mail or the user id."""
    return secrets.token_hex(16)


class XapiPseudonym(models.Model):
    """The mapping learner -> LRS account name. Deleting a row makes that learner's LRS history anonymous."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_pseudonym")
    pseudonym = models.CharField(max_length=64, unique=True, default=new_pseudonym, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI pseudonym")
        verbose_name_plural = _("xAPI pseudonyms")

    def __str__(self) -> str:
        return self.pseudonym


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_FLIGHT = "in_flight", _("In flight")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Dead")


class OutboxStatement(models.Model):
    """One statement waiting for (or done with) delivery to the LRS.

    `payload` holds the exact JSON bytes built once at enqueue time; every retry re-sends those bytes.
    """

    statement_id = models.UUIDField(unique=True, editable=False)
    payload = models.BinaryField(editable=False)
    actor_name = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    verb = models.CharField(max_length=255, blank=True, editable=False)
    state = models.CharField(max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox statement")
        verbose_name_plural = _("outbox statements")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="xapi_outbox_claim"),
            models.Index(fields=["state", "lease_expires_at"], name="xapi_outbox_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} ({self.state})"

    @property
    def json_text(self) -> str:
        return bytes(self.payload).decode("utf-8")


class SenderStatus(models.Model):
    """A single row: what the worker last saw of the LRS (shown in the admin)."""

    key = models.CharField(max_length=16, unique=True, default="lrs")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    configuration_error = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("LRS sender status")

    def __str__(self) -> str:
        return self.key
