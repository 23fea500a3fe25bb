"""Quiz pages (inside a module): a fixed list of questions from the bank, or N drawn at random."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from competencies.widgets import CompetencyItemsChooserWidget
from courses.models import CompetencyTaggedMixin, TrackableMixin
from courses.routing import RouteAncestorsMixin

from .questions import INLINE, Question


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
        from .. import views  # cycle: assessments.views imports these models

        return views.quiz_index(request, self)

    @path(_("start/"), name="start")
    def start_route(self, request):
        from .. import views  # cycle: assessments.views imports these models

        return views.start(request, self)

    @path(_("attempt/<uuid:attempt_id>/"), name="attempt")
    def attempt_route(self, request, attempt_id):
        from .. import views  # cycle: assessments.views imports these models

        return views.take(request, self, attempt_id)

    @path(_("attempt/<uuid:attempt_id>/feedback/<int:slot>/"), name="feedback")
    def feedback_route(self, request, attempt_id, slot):
        from .. import views  # cycle: assessments.views imports these models

        return views.feedback(request, self, attempt_id, slot)

    @path(_("attempt/<uuid:attempt_id>/finish/"), name="finish")
    def finish_route(self, request, attempt_id):
        from .. import views  # cycle: assessments.views imports these models

        return views.finish(request, self, attempt_id)

    @path(_("attempt/<uuid:attempt_id>/results/"), name="results")
    def results_route(self, request, attempt_id):
        from .. import views  # cycle: assessments.views imports these models

        return views.results(request, self, attempt_id)

    def serve_preview(self, request, mode_name):
        from .. import views  # cycle: assessments.views imports these models

        return views.preview(request, self)


class QuizQuestion(Orderable):
    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("question")]

    def __str__(self) -> str:
        return str(self.question)
