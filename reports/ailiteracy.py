"""The AI-literacy training record: who completed which AI training, and when, per académie.

Article 4 of the EU AI Act (Regulation (EU) 2024/1689, applicable since 2 February 2025) asks deployers to take
measures so that staff using AI systems have sufficient AI literacy. It requires no certificate; an internal record
of training is the usual evidence. This export is that record, kept as good practice — not a legal certificate.
Which courses count: ``settings.REPORTS_AI_LITERACY_COURSES`` (translation keys), by default every course of the
platform (all of them train staff in generative AI); an académie's copy counts with its national course.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import IO

from django.conf import settings
from django.db.models import CharField, F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competencies.models import CompetencyItem
from lms.scoping import Scope

from . import exports, selectors
from .completions import COMPLETED_AT_COLUMN, GAIA_IDENTIFIER_COLUMN, LEARNER_COLUMNS, by_course, learner_and_course

# The learner's columns, the GAIA identifier and the completion date are the completion report's (reports.completions).
COLUMNS = [
    *LEARNER_COLUMNS,
    ("course_title", gettext_lazy("AI-literacy training"), "text"),
    GAIA_IDENTIFIER_COLUMN,
    ("estimated_hours", gettext_lazy("Hours"), "number"),
    COMPLETED_AT_COLUMN,
    ("attestation_code", gettext_lazy("Attestation verification code"), "text"),
    ("competencies_text", gettext_lazy("Competencies developed"), "text"),
]

NOTE = gettext_lazy(
    "AI-literacy training record kept by the académie as good practice and as evidence of the measures taken under "
    "Article 4 of the EU AI Act (Regulation (EU) 2024/1689, applicable since 2 February 2025), where it applies. "
    "It lists completed trainings; it is not a legal certificate."
)


def ai_literacy_course_keys(courses: dict[uuid.UUID, selectors.CourseInfo]) -> set[uuid.UUID]:
    chosen = getattr(settings, "REPORTS_AI_LITERACY_COURSES", None)
    if not chosen:
        return set(courses)
    chosen = {uuid.UUID(str(k)) for k in chosen}
    return {k for k, info in courses.items() if k in chosen or info.origin_key in chosen}


def ai_literacy_rows(*, scope: Scope, filters: selectors.ReportFilters | None = None) -> QuerySet:
    """Completed AI-literacy enrolments in scope, completion date within the filters' range: one query."""
    courses = selectors.course_catalogue()
    f = filters or selectors.ReportFilters()
    # the date range applies to the completion date here
    plain = selectors.ReportFilters(**{**f.__dict__, "date_from": None, "date_to": None, "status": None})
    qs = selectors.scoped_enrolments(scope=scope, filters=plain).filter(
        completed_at__isnull=False, course_key__in=ai_literacy_course_keys(courses)
    )
    if f.date_from:
        qs = qs.filter(completed_at__gte=selectors.day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(completed_at__lt=selectors.day_start(f.date_to + dt.timedelta(days=1)))
    item_ids = set().union(*(c.competency_ids for c in courses.values())) if courses else set()
    labels = {
        i.pk: f"{i.code} {i.label}".strip() for i in CompetencyItem.objects.filter(pk__in=item_ids).order_by("path")
    }
    for info in courses.values():
        info.competencies_text = " | ".join(labels[i] for i in labels if i in info.competency_ids)
    return (
        qs.annotate(
            **learner_and_course(courses),
            attestation_code=F("attestation__code"),
            competencies_text=by_course(courses, "competencies_text", CharField(), ""),
        )
        .order_by("academie_name", "last_name", "first_name", "email", "completed_at", "pk")
        .values_list(*[c[0] for c in COLUMNS])
    )


def export_ai_literacy(
    *, scope: Scope, filters: selectors.ReportFilters | None, fmt: str, out: IO[bytes], delimiter: str = ","
) -> int:
    rows = ai_literacy_rows(scope=scope, filters=filters).iterator(chunk_size=exports.CHUNK_SIZE)
    if fmt == "csv":
        return exports.write_csv(out, COLUMNS, rows, delimiter=delimiter)
    return exports.write_xlsx(out, COLUMNS, rows, sheet_title=_("AI-literacy record"), note=str(NOTE))
