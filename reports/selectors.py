"""Reads for reports, exports and dashboards. Everything starts from ``lms.scoping.scope_for``.

The completion report is one ORM query over ``courses.Enrolment`` (joined to the learner and the establishment
recorded at enrolment); the few course facts (title, GAIA identifier, hours, required activities) are read once,
in a constant number of queries, and folded into the query as CASE expressions, so that the same query serves the
admin screen, the streamed exports (Python or PostgreSQL COPY) and the background jobs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

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
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyItem
from courses import progress
from courses.models import ActivityProgress, CoursePage, Enrolment
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


def trackable_models() -> list[type]:
    return progress.trackable_models()


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


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FilterError(
            _("%(name)s: “%(value)s” is not a valid identifier.") % {"name": name, "value": value}
        ) from None


def parse_date(value: str, name: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FilterError(
            _("%(name)s: “%(value)s” is not a date (expected YYYY-MM-DD).") % {"name": name, "value": value}
        ) from None


def parse_filters(params: Mapping[str, str], *, scope: Scope) -> ReportFilters:
    """Validate raw parameters (GET, command line, a job's stored filters) against ``scope``.

    Anything naming an académie, region or establishment outside the scope raises ``FilterError``: a forged
    parameter never widens what someone sees (and the queries are filtered by the scope anyway).
    """
    f = ReportFilters()
    if value := params.get("academie"):
        f.academie = _int(value, "academie")
        if not scope.allows_academie(f.academie):
            raise FilterError(_("Unknown académie."))
    if value := params.get("region"):
        f.region = _int(value, "region")
        if not scope.filter(Academie.objects.filter(region_id=f.region), academie_field="pk").exists():
            raise FilterError(_("Unknown academic region."))
    if value := params.get("establishment"):
        f.establishment = _int(value, "establishment")
        if not scope.filter(Establishment.objects.filter(pk=f.establishment)).exists():
            raise FilterError(_("Unknown establishment."))
    if value := params.get("course"):
        try:
            f.course = uuid.UUID(str(value))
        except ValueError:
            raise FilterError(_("Unknown course.")) from None
        if not CoursePage.objects.filter(translation_key=f.course).exists():
            raise FilterError(_("Unknown course."))
    if value := params.get("status"):
        if value not in STATUS_LABELS:
            raise FilterError(_("Unknown status."))
        f.status = value
    if value := params.get("from"):
        f.date_from = parse_date(value, "from")
    if value := params.get("to"):
        f.date_to = parse_date(value, "to")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise FilterError(_("The start date is after the end date."))
    if value := params.get("session"):
        from cohorts.models import TrainingSession

        f.session = _int(value, "session")
        if not scope.filter(TrainingSession.objects.filter(pk=f.session)).exists():
            raise FilterError(_("Unknown training session."))
    if value := params.get("competency"):
        item = find_competency(str(value))
        f.competency, f.competency_ref = item.pk, competency_ref(item.framework.code, item.code or str(item.identifier))
    return f


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


def _day_start(day: dt.date) -> dt.datetime:
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
            start = _day_start(f.date_from)
            enrolled &= Q(enrolled_at__gte=start)
            completed &= Q(completed_at__gte=start)
        if f.date_to:
            end = _day_start(f.date_to + dt.timedelta(days=1))
            enrolled &= Q(enrolled_at__lt=end)
            completed &= Q(completed_at__lt=end)
        qs = qs.filter(enrolled | completed)
    return qs


# --- The completion report ----------------------------------------------------------------------------------------

COLUMNS = [
    # (name, header, kind) — kind: text, date, percent, number. Headers whose msgid the project catalog (locale/) also
    # translates, differently, carry the "report column" context: that catalog takes precedence over this app's.
    ("last_name", _("Last name"), "text"),
    ("first_name", _("First name"), "text"),
    ("email", pgettext_lazy("report column", "E-mail"), "text"),
    ("uai", _("UAI"), "text"),
    ("establishment_name", _("Establishment"), "text"),
    ("academie_name", _("Académie"), "text"),
    ("course_title", _("Course"), "text"),
    ("gaia_identifier", _("GAIA identifier"), "text"),
    ("session_title", _("Training session"), "text"),
    ("enrolled_at", _("Enrolled on"), "date"),
    ("progress", _("Progress (%)"), "percent"),
    ("completed_at", pgettext_lazy("report column", "Completed on"), "date"),
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


def _by_course(courses: Mapping[uuid.UUID, CourseInfo], attr: str, output_field, default):
    whens = [
        When(course_key=key, then=Value(getattr(info, attr), output_field=output_field))
        for key, info in courses.items()
    ]
    if not whens:
        return Value(default, output_field=output_field)
    return Case(*whens, default=Value(default, output_field=output_field), output_field=output_field)


def _session_title():
    """The training session the enrolment belongs to (the latest one if several), or an empty string."""
    from cohorts.models import Membership

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
    required = _by_course(courses, "required", IntegerField(), 0)
    qs = (
        scoped_enrolments(scope=scope, filters=f)
        .annotate(
            **learner_identity(),
            uai=F("establishment__uai"),
            establishment_name=F("establishment__name"),
            academie_name=F("academie__name"),
            course_title=_by_course(courses, "title", CharField(), ""),
            gaia_identifier=_by_course(courses, "gaia_identifier", CharField(), ""),
            session_title=_session_title(),
            estimated_hours=_by_course(courses, "estimated_hours", DecimalField(max_digits=5, decimal_places=1), 0),
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
    from . import smallnumbers

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
    from cohorts.models import TrainingSession

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
