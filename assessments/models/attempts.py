"""A learner's attempts at a quiz and their answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .questions import Question
from .quizzes import QuizPage


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")


class Attempt(models.Model):
    """One learner's attempt at a quiz (keyed on the quiz's translation_key: both languages are one quiz).

    `layout` fixes, at the start, the questions, their order and the per-attempt tokens:
    `[{"question": pk, "key": translation_key, "tokens": {token: option_key}, "order": [token, ...],
    "targets": [token, ...], "revisions": {question pk: revision id}}]`. The browser sees only tokens; the server maps
    them back. `revisions` names the published revision of the question (and of each of its translations) the learner
    was shown: the attempt is shown and scored against those, whatever is published later (`assessments.revisions`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.SET_NULL, null=True, related_name="attempts")
    quiz_key = models.UUIDField(_("quiz"), db_index=True)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    enrolment = models.ForeignKey(
        "courses.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    expired = models.BooleanField(_("time ran out"), default=False)
    score_raw = models.PositiveIntegerField(null=True, blank=True)
    score_max = models.PositiveIntegerField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("attempt")
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz_key", "number"], name="unique_attempt_number"),
            models.UniqueConstraint(
                fields=["user", "quiz_key"], condition=Q(state="in_progress"), name="one_open_attempt_per_quiz"
            ),
        ]
        indexes = [models.Index(fields=["user", "quiz_key", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.quiz_key} · #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def percent(self) -> int | None:
        return None if self.score_scaled is None else round(self.score_scaled * 100)


class Response(models.Model):
    """One answer, final once given (a second submission of the same question is refused, not recorded)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    slot = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="+")
    question_key = models.UUIDField()
    value = models.JSONField(help_text=_("The answer in stable ids (never tokens)."))
    response_text = models.TextField(help_text=_("The answer as written in the xAPI statement."))
    raw = models.PositiveIntegerField(default=0)
    max = models.PositiveIntegerField(default=0)
    success = models.BooleanField(null=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "slot"], name="one_response_per_slot")]
        ordering = ["slot"]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.slot}"
