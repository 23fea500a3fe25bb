"""Course pages (catalogue → course → module → lesson), enrolment and activity progress.

Progress is keyed on a page's `translation_key`: the French and English versions of a lesson are one activity.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from competencies.widgets import CompetencyItemsChooserWidget

from .blocks import LessonStreamBlock
from .routing import RouteAncestorsMixin

INLINE = ["bold", "italic", "link", "ol", "ul"]


class HomePage(RouteAncestorsMixin, Page):
    """The site's root page in each language."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CataloguePage", "privacy.LegalPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Only the catalogues are cards here: legal pages are in the footer.
        context["catalogues"] = CataloguePage.objects.child_of(self).live().order_by("path")
        return context


class CataloguePage(RouteAncestorsMixin, Page):
    """The national catalogue, or an académie's catalogue (`setup_academy`)."""

    intro = RichTextField(_("introduction"), blank=True, features=INLINE)
    academie = models.ForeignKey(
        "lms.Academie",
        verbose_name=_("académie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogues",
        help_text=_("Empty for the national catalogue."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("academie")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("catalogue")

    def get_context(self, request, *args, **kwargs):
        from .page_context import catalogue_context  # cycle: courses.page_context reads these models

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(catalogue=self, request=request))
        return context


class CompetencyTaggedMixin(models.Model):
    competencies = ParentalManyToManyField(
        "competencies.CompetencyItem",
        verbose_name=_("competencies developed"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class CoursePage(RouteAncestorsMixin, CompetencyTaggedMixin, Page):
    summary = RichTextField(_("summary"), features=INLINE)
    objectives = RichTextField(_("objectives"), features=INLINE, blank=True)
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    prerequisites = models.CharField(_("prerequisites"), max_length=255, blank=True)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=5, decimal_places=1, default=1)
    licence = models.CharField(_("licence"), max_length=100, default="CC BY-SA 4.0")
    credits = RichTextField(_("credits"), features=INLINE, blank=True)
    gaia_identifier = models.CharField(
        _("GAIA identifier"),
        max_length=50,
        blank=True,
        help_text=_("The GAIA 'dispositif' / module identifier of the matching training offer, if there is one."),
    )
    copied_from_key = models.UUIDField(
        _("copied from"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Translation key of the national course this one adapts."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("prerequisites"),
                FieldPanel("estimated_hours"),
                FieldPanel("gaia_identifier"),
            ],
            heading=_("Practical information"),
        ),
        FieldPanel("competencies", widget=CompetencyItemsChooserWidget),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel("credits")], heading=_("Licence and credits")),
    ]
    parent_page_types = ["courses.CataloguePage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .page_context import course_context  # cycle: courses.page_context reads these models

        context = super().get_context(request, *args, **kwargs)
        context.update(
            course_context(
                course=self, user=request.user, preview=getattr(request, "is_preview", False), request=request
            )
        )
        return context


class ModulePage(RouteAncestorsMixin, CompetencyTaggedMixin, Page):
    intro = RichTextField(_("introduction"), features=INLINE, blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=60)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("competencies", widget=CompetencyItemsChooserWidget),
    ]
    parent_page_types = ["courses.CoursePage"]
    # No subpage_types here: lessons and (from the assessments app) quizzes name ModulePage as their only parent,
    # and every page type of the platform declares its parents, so nothing else can be created under a module.

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .page_context import module_context  # cycle: courses.page_context reads these models

        context = super().get_context(request, *args, **kwargs)
        context.update(
            module_context(
                module=self, user=request.user, preview=getattr(request, "is_preview", False), request=request
            )
        )
        return context


class TrackableMixin(models.Model):
    """A page whose completion counts towards its module and course (lessons, quizzes)."""

    required_for_completion = models.BooleanField(
        _("required for completion"), default=True, help_text=_("Must be done for the module to be complete.")
    )

    class Meta:
        abstract = True


class LessonPage(RouteAncestorsMixin, TrackableMixin, CompetencyTaggedMixin, Page):
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=20)
    facts_checked_on = models.DateField(_("facts last checked on"), null=True, blank=True)
    facts_checked_against = models.TextField(
        _("facts checked against"),
        blank=True,
        help_text=_("The texts (with their dates) the facts were checked against, one per line."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("required_for_completion"),
                FieldPanel("competencies", widget=CompetencyItemsChooserWidget),
                FieldPanel("facts_checked_on"),
                FieldPanel("facts_checked_against"),
            ],
            heading=_("Tracking and sources"),
        ),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from .views import serve_lesson  # cycle: courses.views imports these models

        return serve_lesson(self, request, lambda req: super(LessonPage, self).serve(req, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # Wagtail's preview renders the template without `serve`: build a sample context, record nothing.
            from .page_context import lesson_preview_context  # cycle: courses.page_context reads these models

            context.update(lesson_preview_context(lesson=self))
        else:
            context.update(getattr(request, "lesson_context", {}))
        return context


class Enrolment(models.Model):
    """A learner enrolled in a course (keyed on the course's translation_key, so both languages are one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course_key = models.UUIDField(_("course"), db_index=True)
    registration = models.UUIDField(_("xAPI registration"), default=uuid.uuid4, unique=True, editable=False)
    # The organisation at enrolment time: moving school later does not rewrite history.
    academie = models.ForeignKey("lms.Academie", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    establishment = models.ForeignKey(
        "lms.Establishment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_key = models.UUIDField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")]
        indexes = [models.Index(fields=["academie", "course_key"]), models.Index(fields=["completed_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_key}"


class ActivityProgress(models.Model):
    """Progress on one trackable page (lesson, quiz) or a module, within an enrolment."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("lesson")
        QUIZ = "quiz", _("quiz")
        MODULE = "module", _("module")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activities")
    activity_key = models.UUIDField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text=_("Best scaled score (0–1) for a quiz."))

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "activity_key"], name="one_progress_per_activity")]


class LearningSession(models.Model):
    """A learning session: ends on log-out or after 30 minutes without activity (xAPI `terminated`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_sessions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sessions")
    session_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ended_at", "last_activity_at"])]
