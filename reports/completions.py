"""The completion report: one row per learner and course, in one ORM query over ``courses.Enrolment``.

The few course facts (``selectors.course_catalogue``) are folded into the query as CASE expressions, so that the same
query serves the admin screen, the streamed exports (Python or PostgreSQL COPY) and the background jobs. The columns
about the learner and the course are declared once here; the AI-literacy record (``reports.ailiteracy``) uses them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Least, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Membership
from courses.models import ActivityProgress
from lms.scoping import Scope

from .selectors import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    STATUS_LABELS,
    CourseInfo,
    ReportFilters,
    course_catalogue,
    scoped_enrolments,
)

# (name, header, kind) — kind: text, date, percent, number. Headers whose msgid the project catalog (locale/) also
# translates, differently, carry the "report column" context: that catalog takes precedence over this app's.
# The columns both the completion report and the AI-literacy record show, with the same header and the same values:
LEARNER_COLUMNS = [
    ("last_name", _("Last name"), "text"),
    ("first_name", _("First name"), "text"),
    ("email", pgettext_lazy("report column", "E-mail"), "text"),
    ("uai", _("UAI"), "text"),
    ("establishment_name", _("Establishment"), "text"),
    ("academie_name", _("Académie"), "text"),
]
GAIA_IDENTIFIER_COLUMN = ("gaia_identifier", _("GAIA identifier"), "text")
COMPLETED_AT_COLUMN = ("completed_at", pgettext_lazy("report column", "Completed on"), "date")

COLUMNS = [
    *LEARNER_COLUMNS,
    ("course_title", _("Course"), "text"),
    GAIA_IDENTIFIER_COLUMN,
    ("session_title", _("Training session"), "text"),
    ("enrolled_at", _("Enrolled on"), "date"),
    ("progress", _("Progress (%)"), "percent"),
    COMPLETED_AT_COLUMN,
    ("best_score", _("Best quiz score (%)"), "percent"),
    ("estimated_hours", _("Estimated hours"), "number"),
    ("status_label", _("Status"), "text"),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]


# An erased account stays as an anonymous shell (privacy.erasure.erase_user) so that figures stay right; reports
# name it as such rather than by its placeholder address.
ERASED_EMAIL_PREFIX, ERASED_EMAIL_SUFFIX = "efface-", "@invalid"
ERASED_LABEL = _("Erased account")


def erased_user_q(prefix: str = "user__") -> Q:
    return Q(**{f"{prefix}email__startswith": ERASED_EMAIL_PREFIX, f"{prefix}email__endswith": ERASED_EMAIL_SUFFIX})


def learner_identity(prefix: str = "user__") -> dict:
    """last_name, first_name and email annotations: "Erased account" and blanks for an erased account."""
    erased = erased_user_q(prefix)
    return {
        "last_name": Case(
            When(erased, then=Value(str(ERASED_LABEL))), default=F(f"{prefix}last_name"), output_field=CharField()
        ),
        "first_name": Case(When(erased, then=Value("")), default=F(f"{prefix}first_name"), output_field=CharField()),
        "email": Case(When(erased, then=Value("")), default=F(f"{prefix}email"), output_field=CharField()),
    }


def by_course(courses: Mapping[uuid.UUID, CourseInfo], attr: str, output_field, default):
    """A course fact as a CASE expression on the enrolment's course key."""
    whens = [
        When(course_key=key, then=Value(getattr(info, attr), output_field=output_field))
        for key, info in courses.items()
    ]
    if not whens:
        return Value(default, output_field=output_field)
    return Case(*whens, default=Value(default, output_field=output_field), output_field=output_field)


def learner_and_course(courses: Mapping[uuid.UUID, CourseInfo]) -> dict:
    """The annotations of ``LEARNER_COLUMNS``, the GAIA identifier, and the course's title and hours (which the
    AI-literacy record heads differently)."""
    return {
        **learner_identity(),
        "uai": F("establishment__uai"),
        "establishment_name": F("establishment__name"),
        "academie_name": F("academie__name"),
        "course_title": by_course(courses, "title", CharField(), ""),
        "gaia_identifier": by_course(courses, "gaia_identifier", CharField(), ""),
        "estimated_hours": by_course(courses, "estimated_hours", DecimalField(max_digits=5, decimal_places=1), 0),
    }


def _session_title():
    """The training session the enrolment belongs to (the latest one if several), or an empty string."""
    latest = Membership.objects.filter(enrolment=OuterRef("pk")).order_by("-pk").values("session__title")[:1]
    return Coalesce(Subquery(latest, output_field=CharField()), Value(""), output_field=CharField())


def completion_rows(
    *, scope: Scope, filters: ReportFilters | None = None, courses: Mapping[uuid.UUID, CourseInfo] | None = None
) -> QuerySet:
    """One row per learner and course, as ``.values(*COLUMN_NAMES)`` (plus ``status`` and ``pk``), in one query.

    progress = completed required activities / required activities of the course (100 once the course is
    completed); best_score = best scaled quiz score (0–1); both as fractions, formatted by the exporters.
    """
    f = filters or ReportFilters()
    if courses is None:
        courses = course_catalogue()
    required_keys = set().union(*(c.required_keys for c in courses.values())) if courses else set()
    # One LEFT JOIN to the activity rows, grouped by enrolment (PostgreSQL groups by the primary keys): each
    # aggregate is computed once per row, unlike a correlated subquery that SQL would repeat wherever it is used.
    done = Count(
        "activities",
        filter=Q(
            activities__completed_at__isnull=False, activities__activity_key__in=required_keys or [uuid.UUID(int=0)]
        ),
    )
    best = Max("activities__score", filter=Q(activities__kind=ActivityProgress.Kind.QUIZ))
    required = by_course(courses, "required", IntegerField(), 0)
    qs = (
        scoped_enrolments(scope=scope, filters=f)
        .annotate(
            **learner_and_course(courses),
            session_title=_session_title(),
            done=done,
            best_score=best,
        )
        .annotate(
            progress=Case(
                When(completed_at__isnull=False, then=Value(1.0)),
                # courses.progress.percent: whole percent rounded down, as a fraction for the exporters.
                When(
                    done__gt=0,
                    then=Least(
                        Value(1.0),
                        Floor(F("done") * Value(100.0) / Coalesce(NullIf(required, 0), Value(1))) / Value(100.0),
                    ),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            status=Case(
                When(completed_at__isnull=False, then=Value(COMPLETED)),
                When(done__gt=0, then=Value(IN_PROGRESS)),
                When(Q(best_score__isnull=False), then=Value(IN_PROGRESS)),
                default=Value(NOT_STARTED),
                output_field=CharField(),
            ),
        )
        .annotate(
            status_label=Case(
                *[When(status=k, then=Value(str(label))) for k, label in STATUS_LABELS.items()],
                output_field=CharField(),
            )
        )
    )
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.order_by("academie_name", "establishment_name", "last_name", "first_name", "email", "course_title", "pk")


def completion_values(qs: QuerySet) -> QuerySet:
    return qs.values_list(*COLUMN_NAMES)
