"""The question bank (a translatable snippet with revisions), quiz pages, attempts and responses.

Stable ids: a question is identified across languages by its `translation_key`; its options (choices, items to
order, sources, targets, scale points) by their `key`, the same in every language. Those ids are what statements and
reports use. The learner's browser only ever sees per-attempt random tokens (`Attempt.layout`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from competencies.widgets import CompetencyItemsChooserWidget
from courses.models import CompetencyTaggedMixin, TrackableMixin
from courses.routing import RouteAncestorsMixin

from . import scoring

INLINE = ["bold", "italic", "link"]


class QuestionType(models.TextChoices):
    SINGLE = scoring.SINGLE, _("Single choice")
    MULTIPLE = scoring.MULTIPLE, _("Multiple response")
    TRUE_FALSE = scoring.TRUE_FALSE, _("True or false")
    ORDERING = scoring.ORDERING, _("Ordering")
    MATCHING = scoring.MATCHING, _("Matching")
    SHORT_TEXT = scoring.SHORT_TEXT, _("Short text answer")
    NUMERIC = scoring.NUMERIC, _("Numeric answer")
    LIKERT = scoring.LIKERT, _("Opinion scale (not scored)")


class OptionRole(models.TextChoices):
    CHOICE = "choice", _("Choice (single, multiple, true/false)")
    ITEM = "item", _("Item to order (in the right order)")
    SOURCE = "source", _("Matching: source")
    TARGET = "target", _("Matching: target")
    SCALE = "scale", _("Scale point (opinion scale)")


ROLE_FOR_TYPE = {
    scoring.SINGLE: OptionRole.CHOICE,
    scoring.MULTIPLE: OptionRole.CHOICE,
    scoring.TRUE_FALSE: OptionRole.CHOICE,
    scoring.ORDERING: OptionRole.ITEM,
    scoring.LIKERT: OptionRole.SCALE,
}


class QuestionForm(WagtailAdminModelForm):
    """Checks the options against the question type (the options are an inline formset)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        kind = cleaned.get("question_type")
        if formset is None or not kind or not formset.is_valid():
            return cleaned
        options = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        problems = option_problems(kind, options)
        for problem in problems:
            self.add_error(None, problem)
        return cleaned


def option_problems(kind: str, options: list[dict]) -> list[str]:
    """What is wrong with a question's options for its type (empty when fine)."""
    by_role: dict[str, list[dict]] = {}
    for option in options:
        by_role.setdefault(option.get("role"), []).append(option)
    problems = []
    keys = [(o.get("role"), o.get("key")) for o in options]
    if len(keys) != len(set(keys)):
        problems.append(_("Two options of the same role have the same key."))
    choices = by_role.get(OptionRole.CHOICE, [])
    right = [o for o in choices if o.get("correct")]
    if kind == scoring.TRUE_FALSE and sorted(o.get("key") for o in choices) != ["false", "true"]:
        problems.append(_("A true/false question has exactly two choices, with the keys true and false."))
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE) and len(right) != 1:
        problems.append(_("Mark exactly one choice as the right answer."))
    if kind == scoring.MULTIPLE and (not right or len(choices) < 2):
        problems.append(_("Give at least two choices, one of them right."))
    if kind == scoring.ORDERING and len(by_role.get(OptionRole.ITEM, [])) < 2:
        problems.append(_("Give at least two items to order."))
    if kind == scoring.MATCHING:
        targets = {o.get("key") for o in by_role.get(OptionRole.TARGET, [])}
        sources = by_role.get(OptionRole.SOURCE, [])
        if not sources or any(o.get("match_key") not in targets for o in sources):
            problems.append(_("Each source must name the key of one of the targets."))
    if kind == scoring.LIKERT and len(by_role.get(OptionRole.SCALE, [])) < 2:
        problems.append(_("Give at least two points on the scale."))
    return problems


class Question(
    TranslatableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A question of the bank. Translations share the `translation_key` and the option keys.

    The row is the live (published) version, the one learners see and are scored against; edits are drafts (revisions)
    that go live only when published, through the moderation workflow (see `assessments.permissions`). An attempt
    records the revision each question was shown in (`Attempt.layout`), and is scored against it.
    """

    owner_academie = models.ForeignKey(
        "lms.Academie",
        verbose_name=_("owner académie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a national question, edited by the national editors."),
    )

    title = models.CharField(
        _("title"), max_length=255, help_text=_("For authors only: how the question appears in the bank.")
    )
    question_type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    prompt = models.TextField(_("question"))
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)], help_text=_("1 to 3.")
    )
    competencies = ParentalManyToManyField(
        "competencies.CompetencyItem", verbose_name=_("competencies assessed"), blank=True, related_name="+"
    )
    tags = models.CharField(
        _("tags"), max_length=255, blank=True, help_text=_("Comma-separated, used to draw questions at random.")
    )
    general_feedback = models.TextField(_("general feedback"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    source_title = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_date = models.CharField(_("source date"), max_length=50, blank=True)
    # short text
    accepted_answers = models.TextField(_("accepted answers"), blank=True, help_text=_("One per line."))
    case_sensitive = models.BooleanField(_("case matters"), default=False)
    accent_sensitive = models.BooleanField(_("accents matter"), default=False)
    # numeric (inclusive range; the same value twice for an exact answer)
    numeric_min = models.DecimalField(_("lowest right value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numeric_max = models.DecimalField(_("highest right value"), max_digits=14, decimal_places=4, null=True, blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")

    panels = [
        FieldPanel("title"),
        FieldPanel("question_type"),
        FieldPanel("prompt"),
        InlinePanel(
            "options",
            heading=_("Options"),
            label=_("option"),
            help_text=_(
                "Choices; items to order (in the right order); matching sources (with their target's key) and "
                "targets; or the points of an opinion scale."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepted_answers"),
                FieldRowPanel([FieldPanel("case_sensitive"), FieldPanel("accent_sensitive")]),
            ],
            heading=_("Short text answer"),
        ),
        FieldRowPanel([FieldPanel("numeric_min"), FieldPanel("numeric_max")], heading=_("Numeric answer")),
        MultiFieldPanel(
            [
                FieldPanel("general_feedback"),
                FieldPanel("explanation"),
                FieldPanel("source_title"),
                FieldPanel("source_url"),
                FieldPanel("source_date"),
            ],
            heading=_("Feedback and explanation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("competencies", widget=CompetencyItemsChooserWidget),
                FieldPanel("difficulty"),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("prompt"), index.FilterField("question_type")]
    base_form_class = QuestionForm

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip().lower() for t in self.tags.split(",") if t.strip()]

    def options_by_role(self, role: str) -> list[QuestionOption]:
        return [o for o in self.options.all() if o.role == role]

    def accepted_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    def spec(self) -> scoring.Spec:
        kind = self.question_type
        if kind == scoring.MATCHING:
            return scoring.Spec(type=kind, pairs={o.key: o.match_key for o in self.options_by_role(OptionRole.SOURCE)})
        if kind == scoring.SHORT_TEXT:
            return scoring.Spec(
                type=kind,
                accepted=tuple(self.accepted_list()),
                case_sensitive=self.case_sensitive,
                accent_sensitive=self.accent_sensitive,
            )
        if kind == scoring.NUMERIC:
            return scoring.Spec(type=kind, minimum=self.numeric_min, maximum=self.numeric_max)
        options = self.options_by_role(ROLE_FOR_TYPE[kind])
        return scoring.Spec(
            type=kind, options=tuple(o.key for o in options), correct=frozenset(o.key for o in options if o.correct)
        )

    def clean(self) -> None:
        super().clean()
        if self.question_type == scoring.NUMERIC:
            if self.numeric_min is None and self.numeric_max is None:
                raise ValidationError({"numeric_min": _("Give the right value or range.")})
            if self.numeric_min is not None and self.numeric_max is not None and self.numeric_min > self.numeric_max:
                raise ValidationError({"numeric_max": _("The highest value cannot be below the lowest.")})
        if self.question_type == scoring.SHORT_TEXT and not self.accepted_list():
            raise ValidationError({"accepted_answers": _("Give at least one accepted answer.")})

    @property
    def revisions(self):
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return "assessments/question_preview.html"

    def get_preview_context(self, request, mode_name):
        """The question as a learner sees it, with throw-away tokens (nothing is recorded)."""
        from .forms import forms_for
        from .selectors import build_layout

        layout = build_layout([self], shuffle_questions=False, shuffle_choices=False)
        return {"question": self, "forms": forms_for(slots=[0], layout=layout, questions={0: self}), "single": True}

    def numeric_range(self) -> tuple[Decimal | None, Decimal | None]:
        return self.numeric_min, self.numeric_max


class QuestionOption(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    role = models.CharField(_("role"), max_length=10, choices=OptionRole.choices, default=OptionRole.CHOICE)
    key = models.SlugField(
        _("key"), max_length=50, help_text=_("Stable id, the same in every language (used in statements and reports).")
    )
    text = models.TextField(_("text"))
    correct = models.BooleanField(_("right answer"), default=False)
    match_key = models.SlugField(_("matches target"), max_length=50, blank=True, help_text=_("Sources only."))
    feedback = models.TextField(_("feedback for this choice"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("role"), FieldPanel("key"), FieldPanel("correct"), FieldPanel("match_key")]),
        FieldPanel("text"),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        # Options written without a sort order (content files, imports, tests) keep the order they were written in:
        # without the id, PostgreSQL may return equal sort orders in any order.
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "role", "key"], name="unique_option_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:40]}"


class QuizKind(models.TextChoices):
    MODULE = "module", _("Graded quiz")
    POSITIONING = "positioning", _("Positioning quiz (profile and recommendations, no grade)")


class FeedbackTiming(models.TextChoices):
    AFTER_EACH = "after_each", _("After each question")
    AT_END = "at_end", _("At the end")


class QuizPage(RouteAncestorsMixin, RoutablePageMixin, TrackableMixin, CompetencyTaggedMixin, Page):
    """A quiz in a module: a fixed list of questions, or N drawn at random from the bank."""

    intro = RichTextField(_("introduction"), blank=True, features=[*INLINE, "ol", "ul"])
    kind = models.CharField(_("kind"), max_length=20, choices=QuizKind.choices, default=QuizKind.MODULE)
    framework = models.ForeignKey(
        "competencies.Framework",
        verbose_name=_("framework (positioning quiz)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    feedback_timing = models.CharField(
        _("feedback"), max_length=20, choices=FeedbackTiming.choices, default=FeedbackTiming.AT_END
    )
    one_question_per_page = models.BooleanField(_("one question per page"), default=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn at random"),
        null=True,
        blank=True,
        help_text=_("Empty: the fixed list below. Otherwise N questions drawn from the bank (same language)."),
    )
    draw_competencies = ParentalManyToManyField(
        "competencies.CompetencyItem", verbose_name=_("draw from competencies"), blank=True, related_name="+"
    )
    draw_tag = models.CharField(_("draw from tag"), max_length=100, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultipleChooserPanel(
            "quiz_questions",
            chooser_field_name="question",
            heading=_("Questions"),
            label=_("questions from the bank"),
            help_text=_("“Add questions from the bank” lets you tick several, filtered by competency, type and tag."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("draw_count"),
                FieldPanel("draw_competencies", widget=CompetencyItemsChooserWidget),
                FieldPanel("draw_tag"),
            ],
            heading=_("Random draw"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("framework"),
                FieldPanel("pass_mark_percent"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("feedback_timing"),
                FieldPanel("one_question_per_page"),
                FieldPanel("required_for_completion"),
                FieldPanel("competencies", widget=CompetencyItemsChooserWidget),
            ],
            heading=_("Settings"),
        ),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")

    @property
    def is_positioning(self) -> bool:
        return self.kind == QuizKind.POSITIONING

    @path("", name="index")
    def index_route(self, request):
        from . import views

        return views.quiz_index(request, self)

    @path(_("start/"), name="start")
    def start_route(self, request):
        from . import views

        return views.start(request, self)

    @path(_("attempt/<uuid:attempt_id>/"), name="attempt")
    def attempt_route(self, request, attempt_id):
        from . import views

        return views.take(request, self, attempt_id)

    @path(_("attempt/<uuid:attempt_id>/feedback/<int:slot>/"), name="feedback")
    def feedback_route(self, request, attempt_id, slot):
        from . import views

        return views.feedback(request, self, attempt_id, slot)

    @path(_("attempt/<uuid:attempt_id>/finish/"), name="finish")
    def finish_route(self, request, attempt_id):
        from . import views

        return views.finish(request, self, attempt_id)

    @path(_("attempt/<uuid:attempt_id>/results/"), name="results")
    def results_route(self, request, attempt_id):
        from . import views

        return views.results(request, self, attempt_id)

    def serve_preview(self, request, mode_name):
        from . import views

        return views.preview(request, self)


class QuizQuestion(Orderable):
    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("question")]

    def __str__(self) -> str:
        return str(self.question)


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
