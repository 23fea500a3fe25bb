"""Training sessions of the académie's training plan (GAIA dispositif → module → session), their trainers and
participants, in-person dates and attendance, and the log of reminders sent.

A participant's membership points at their course enrolment: progress, quiz results and xAPI statements are the
enrolment's (its `registration` is the `context.registration` of every statement, see docs/xapi.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class TrainingSession(ClusterableModel):
    class Format(models.TextChoices):
        DISTANCE = "distance", _("distance")
        HYBRID = "hybrid", _("hybrid (in-person dates and distance)")

    academie = models.ForeignKey(
        "lms.Academie", verbose_name=_("académie"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
        help_text=_("A course of the national catalogue or of your académie's catalogue."),
    )
    title = models.CharField(_("title"), max_length=200)
    gaia_dispositif = models.CharField(_("GAIA dispositif"), max_length=30, blank=True)
    gaia_module = models.CharField(_("GAIA module"), max_length=30, blank=True)
    gaia_session = models.CharField(_("GAIA session"), max_length=30, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.DISTANCE)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="training_sessions_as_trainer",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def gaia_identifier(self) -> str:
        return " / ".join(part for part in (self.gaia_dispositif, self.gaia_module, self.gaia_session) if part)

    @property
    def course_key(self):
        return self.course.translation_key


class InPersonDate(models.Model):
    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="in_person_dates")
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    ends_at = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, help_text=_("Establishment or room, and address."))

    class Meta:
        ordering = ["day", "starts_at"]
        verbose_name = _("in-person date")
        verbose_name_plural = _("in-person dates")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.place}"


class Membership(models.Model):
    """A participant of a session, enrolled in its course."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="memberships"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="memberships"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training session participant")
        verbose_name_plural = _("training session participants")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_membership_per_session")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.user_id}"


class Attendance(models.Model):
    """Present or absent at an in-person date, as ticked by a trainer."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    in_person_date = models.ForeignKey(InPersonDate, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["membership", "in_person_date"], name="one_attendance_per_date")]


class Reminder(models.Model):
    """A reminder e-mail sent to a participant who had not started (the rate limit reads these rows)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    # Who sent it, as an account number ("#12", like privacy.AuditEntry.actor_label): not a link to the trainer's
    # row, so the participant's data download does not carry the trainer's account.
    sent_by_label = models.CharField(_("sent by"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
