"""The question bank: a question (a translatable snippet with revisions, moderated) and its options.

Stable ids: a question is identified across languages by its `translation_key`; its options (choices, items to
order, sources, targets, scale points) by their `key`, the same in every language. Those ids are what statements and
reports use.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from competencies.widgets import CompetencyItemsChooserWidget

from .. import scoring

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


# Feedback and classification: the same on the bank's generic form and on each question type's form (admin_forms).
COMMON_PANELS = [
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
        *COMMON_PANELS,
    ]
    search_fields = [index.SearchField("title"), index.SearchField("prompt"), index.FilterField("question_type")]

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
        from ..forms import forms_for  # cycle: assessments.forms imports these models
        from ..selectors import build_layout  # cycle: assessments.selectors imports these models

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
