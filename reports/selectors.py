"""Reads every report starts from: the course catalogue, the filters and the enrolments they select, the filters'
choices. Everything starts from ``lms.scoping.scope_for``.

The completion report is ``reports.completions``; the dashboard's figures ``reports.dashboard``; the AI-literacy
record ``reports.ailiteracy``; the filters are validated by ``reports.forms``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cohorts.models import TrainingSession
from competencies.models import CompetencyItem
from courses import progress
from courses.models import CoursePage, Enrolment
from lms import smallnumbers
from lms.models import Academie, Establishment, RegionAcademique
from lms.scoping import Scope

COMPLETED, IN_PROGRESS, NOT_STARTED = "completed", "in_progress", "not_started"
STATUS_LABELS = {
    COMPLETED: _("completed"),
    IN_PROGRESS: _("in progress"),
    NOT_STARTED: _("not started"),
}


class FilterError(ValueError):
    """A filter value that is malformed or names something unknown (or out of scope)."""


# --- Courses ------------------------------------------------------------------------------------------------------


@dataclass
class CourseInfo:
    key: uuid.UUID
    title: str
    gaia_identifier: str = ""
    estimated_hours: Decimal = Decimal("0")
    origin_key: uuid.UUID | None = None  # the national course an académie copy adapts (itself otherwise)
    required_keys: set[uuid.UUID] = field(default_factory=set)
    competency_ids: set[int] = field(default_factory=set)
    competencies_text: str = ""

    @property
    def required(self) -> int:
        return len(self.required_keys)


def course_catalogue(*, language: str | None = None) -> dict[uuid.UUID, CourseInfo]:
    """Every course (by translation key), titled in ``language`` when a translation exists.

    Queries: 3 + one per trackable page type (lessons, quizzes), whatever the number of courses.
    """
    language = (language or get_language() or "fr")[:2]
    pages = list(
        CoursePage.objects.values(
            "id",
            "path",
            "depth",
            "live",
            "title",
            "translation_key",
            "locale__language_code",
            "gaia_identifier",
            "estimated_hours",
            "copied_from_key",
        ).order_by("path")
    )
    courses: dict[uuid.UUID, CourseInfo] = {}
    for page in pages:
        key = page["translation_key"]
        info = courses.get(key)
        preferred = page["locale__language_code"] == language
        if info is None or preferred:
            courses[key] = CourseInfo(
                key=key,
                title=page["title"],
                gaia_identifier=page["gaia_identifier"] or "",
                estimated_hours=page["estimated_hours"] or Decimal("0"),
                origin_key=page["copied_from_key"] or key,
                required_keys=info.required_keys if info else set(),
                competency_ids=info.competency_ids if info else set(),
            )
    # Required activities: the one rule of ``courses.progress`` (the learner's pages and the completion service use
    # it too, so a report never disagrees with what the learner sees).
    rows = [(p["translation_key"], p["path"], p["depth"], p["live"], p["locale__language_code"]) for p in pages]
    for key, course_rule in progress.course_rules(rows=rows).items():
        courses[key].required_keys = set(course_rule.required)
    through = CoursePage.competencies.through
    for course_key, item_id in through.objects.values_list("coursepage__translation_key", "competencyitem_id"):
        courses[course_key].competency_ids.add(item_id)
    return courses


# --- Filters ------------------------------------------------------------------------------------------------------


@dataclass
class ReportFilters:
    academie: int | None = None
    region: int | None = None
    course: uuid.UUID | None = None
    establishment: int | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    competency: int | None = None
    competency_ref: str = ""  # how the competency is named in links: "<framework code>:<item code>"
    session: int | None = None  # a training session (cohorts app)

    def as_query(self) -> dict[str, str]:
        """Back to strings (for links, background jobs)."""
        out = {
            "academie": self.academie,
            "region": self.region,
            "course": self.course,
            "establishment": self.establishment,
            "status": self.status,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "competency": self.competency_ref or None,
            "session": self.session,
        }
        return {k: str(v) for k, v in out.items() if v not in (None, "")}


def competency_ref(framework_code: str, code: str) -> str:
    return f"{framework_code}:{code}"


def find_competency(value: str) -> CompetencyItem:
    """A competency named as people name it: "2.2" (when one framework has that code), or
    "<framework code>:2.2" as the report's chooser sends it. Never an internal id."""
    value = value.strip()
    framework_code, sep, code = value.partition(":")
    if not sep:
        framework_code, code = "", value
    items = CompetencyItem.objects.select_related("framework")
    if framework_code:
        items = items.filter(framework__code=framework_code)
    try:
        identifier = uuid.UUID(code)
    except ValueError:
        found = list(items.filter(code=code)[:2])
    else:
        found = list(items.filter(identifier=identifier)[:2])
    if len(found) > 1:
        raise FilterError(
            _("Competency “%(code)s” exists in several frameworks: choose it in the list.") % {"code": code}
        )
    if not found:
        raise FilterError(_("Unknown competency: “%(code)s”.") % {"code": value})
    return found[0]


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def scoped_enrolments(*, scope: Scope, filters: ReportFilters | None = None) -> QuerySet[Enrolment]:
    """Enrolments this scope may see (by the académie recorded at enrolment), narrowed by ``filters``.

    Status is not applied here (it needs the progress annotation): see ``completion_rows``.
    """
    qs = scope.filter(Enrolment.objects.all(), academie_field="academie")
    f = filters or ReportFilters()
    if f.academie:
        qs = qs.filter(academie_id=f.academie)
    if f.region:
        qs = qs.filter(academie__region_id=f.region)
    if f.establishment:
        qs = qs.filter(establishment_id=f.establishment)
    if f.course:
        keys = {
            f.course,
            *CoursePage.objects.filter(copied_from_key=f.course).values_list("translation_key", flat=True),
        }
        qs = qs.filter(course_key__in=keys)
    if f.session:
        qs = qs.filter(memberships__session_id=f.session)
    if f.competency:
        item = CompetencyItem.objects.get(pk=f.competency)
        keys = CoursePage.objects.filter(
            competencies__framework_id=item.framework_id, competencies__path__startswith=item.path
        ).values("translation_key")
        qs = qs.filter(course_key__in=keys)
    if f.date_from or f.date_to:
        enrolled, completed = Q(), Q()
        if f.date_from:
            start = day_start(f.date_from)
            enrolled &= Q(enrolled_at__gte=start)
            completed &= Q(completed_at__gte=start)
        if f.date_to:
            end = day_start(f.date_to + dt.timedelta(days=1))
            enrolled &= Q(enrolled_at__lt=end)
            completed &= Q(completed_at__lt=end)
        qs = qs.filter(enrolled | completed)
    return qs


# --- Filter choices (with counts, small numbers suppressed) ------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    count: object = None  # a smallnumbers.Figure

    def __str__(self) -> str:
        return f"{self.label} ({self.count})" if self.count is not None else self.label


def filter_choices(*, scope: Scope, courses: Mapping[uuid.UUID, CourseInfo] | None = None) -> dict[str, list[Choice]]:
    """Choices for the report's filters, only within scope; the number of enrolments beside each is a figure
    about people, so it follows the small-number rule. Four queries."""
    if courses is None:
        courses = course_catalogue()
    base = scope.filter(Enrolment.objects.all())
    per_course = dict(base.order_by().values_list("course_key").annotate(n=Count("pk")))
    per_etab = dict(base.order_by().values_list("establishment_id").annotate(n=Count("pk")))
    establishments = scope.filter(Establishment.objects.filter(pk__in=[k for k in per_etab if k])).order_by("name")
    academies = scope.filter(Academie.objects.select_related("region"), academie_field="pk")
    course_counts: dict[uuid.UUID, int] = {}
    for key, n in per_course.items():
        if key in courses:
            origin = courses[key].origin_key if courses[key].origin_key in courses else key
            course_counts[origin] = course_counts.get(origin, 0) + n
    return {
        "course": [
            Choice(str(key), courses[key].title, smallnumbers.count(n))
            for key, n in sorted(course_counts.items(), key=lambda kv: courses[kv[0]].title)
        ],
        "establishment": [
            Choice(str(e.pk), f"{e.name} ({e.uai})", smallnumbers.count(per_etab.get(e.pk))) for e in establishments
        ],
        "academie": [Choice(str(a.pk), a.name) for a in academies],
        "status": [Choice(k, str(v)) for k, v in STATUS_LABELS.items()],
        "session": [Choice(str(pk), title) for pk, title in _sessions_in_scope(scope)],
    }


def _sessions_in_scope(scope: Scope) -> list[tuple[int, str]]:
    return list(scope.filter(TrainingSession.objects.order_by("-starts_on", "title")).values_list("pk", "title"))


def competency_choices(
    *, courses: Mapping[uuid.UUID, CourseInfo] | None = None, language: str | None = None
) -> list[tuple[str, list[Choice]]]:
    """The competency chooser: per framework, the items some course develops and the items above them (a parent
    matches its descendants), in tree order, each as "code — label". Two queries."""
    if courses is None:
        courses = course_catalogue()
    tagged = set().union(*(c.competency_ids for c in courses.values())) if courses else set()
    if not tagged:
        return []
    steplen = CompetencyItem.steplen
    pairs = CompetencyItem.objects.filter(pk__in=tagged).values_list("framework_id", "path")
    wanted = Q()
    for framework_id, path in pairs:
        prefixes = [path[:n] for n in range(steplen, len(path) + 1, steplen)]
        wanted |= Q(framework_id=framework_id, path__in=prefixes)
    items = CompetencyItem.objects.filter(wanted).select_related("framework").order_by("framework__code", "path")
    groups: dict[int, tuple[str, list[Choice]]] = {}
    for item in items:
        framework = item.framework
        title, choices = groups.setdefault(framework.pk, (framework.title_in(language), []))
        code = item.code or str(item.identifier)
        indent = "\u00a0\u00a0" * (item.depth - 1)
        label = item.text_in("label", language) or item.text_in("statement", language)
        text = f"{indent}{item.code} — {label}" if item.code else f"{indent}{label}"
        choices.append(Choice(competency_ref(framework.code, code), text))
    return sorted(groups.values(), key=lambda group: group[0])


# --- Regions, académies in scope ----------------------------------------------------------------------------------


def academies_in_scope(*, scope: Scope) -> QuerySet[Academie]:
    return scope.filter(Academie.objects.select_related("region"), academie_field="pk")


def regions_in_scope(*, scope: Scope) -> QuerySet[RegionAcademique]:
    return RegionAcademique.objects.filter(academies__in=academies_in_scope(scope=scope)).distinct()
