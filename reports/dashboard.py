"""Dashboard figures (per académie, région académique or national), every one through the small-number rule.

Queries: a constant number (about eight) whatever the size of the académie; the competency figures read the
evidence of the learners in scope once, in a streamed query, and reuse ``competencies.selectors.evaluate``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import CompetencyItem, Evidence
from competencies.selectors import SECURED, evaluate
from lms import smallnumbers as sn
from lms.models import Establishment, RegionAcademique
from lms.scoping import Scope

from . import exports, selectors


@dataclass
class Row:
    label: str
    enrolled: sn.Figure
    completed: sn.Figure
    rate: sn.Figure
    extra: str = ""


@dataclass
class MonthRow:
    month: dt.date
    enrolled: sn.Figure
    completed: sn.Figure


@dataclass
class CompetencyRow:
    label: str
    secured: sn.Figure
    assessed: sn.Figure
    rate: sn.Figure


@dataclass
class Dashboard:
    total: Row
    months: list[MonthRow] = field(default_factory=list)
    courses: list[Row] = field(default_factory=list)
    establishments: list[Row] = field(default_factory=list)
    regions: list[Row] = field(default_factory=list)
    most_secured: list[CompetencyRow] = field(default_factory=list)
    least_secured: list[CompetencyRow] = field(default_factory=list)


def _rows(groups: Mapping, labels: Mapping) -> list[Row]:
    """Rows for groups {key: (enrolled, completed)}; complementary suppression down each column (rule 4)."""
    keys = sorted(groups, key=lambda k: str(labels.get(k, "")))
    enrolled = sn.complement([sn.count(groups[k][0]) for k in keys])
    completed = sn.complement([sn.part_of(groups[k][1], groups[k][0]) for k in keys])
    rows = []
    for i, k in enumerate(keys):
        e, c = groups[k]
        rate = sn.rate(c, e)
        if enrolled[i].suppressed or completed[i].suppressed:
            rate = sn.hidden(rate.value) if not rate.suppressed else rate
        rows.append(Row(str(labels.get(k, "—")), enrolled[i], completed[i], rate))
    return rows


def month_range(end: dt.date, months: int = 12) -> list[dt.date]:
    first = end.replace(day=1)
    out = []
    for _month in range(months):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def dashboard(
    *,
    scope: Scope,
    filters: selectors.ReportFilters | None = None,
    courses: Mapping[uuid.UUID, selectors.CourseInfo] | None = None,
    today: dt.date | None = None,
) -> Dashboard:
    f = filters or selectors.ReportFilters()
    if courses is None:
        courses = selectors.course_catalogue()
    qs = selectors.scoped_enrolments(scope=scope, filters=f).order_by()
    completed_q = Q(completed_at__isnull=False)
    totals = qs.aggregate(enrolled=Count("pk"), completed=Count("pk", filter=completed_q))
    total_rate = sn.rate(totals["completed"], totals["enrolled"])
    board = Dashboard(
        total=Row(
            "",
            sn.count(totals["enrolled"]),
            sn.part_of(totals["completed"], totals["enrolled"]),
            total_rate,
        )
    )

    # Over time: the last 12 months (or up to the end of the date range).
    end = f.date_to or today or timezone.localdate()
    months = month_range(end)
    start = selectors.day_start(months[0])
    enrolled_by_month = dict(
        qs.filter(enrolled_at__gte=start)
        .annotate(m=TruncMonth("enrolled_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    completed_by_month = dict(
        qs.filter(completed_at__gte=start)
        .annotate(m=TruncMonth("completed_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )

    def by_day(d):
        return {(k.date() if isinstance(k, dt.datetime) else k): v for k, v in d.items()}

    enrolled_by_month, completed_by_month = by_day(enrolled_by_month), by_day(completed_by_month)
    enrolled_figs = sn.complement([sn.count(enrolled_by_month.get(m, 0)) for m in months])
    completed_figs = sn.complement([sn.count(completed_by_month.get(m, 0)) for m in months])
    board.months = [MonthRow(m, e, c) for m, e, c in zip(months, enrolled_figs, completed_figs, strict=True)]

    # Per course (an académie's copy counts with the national course it adapts).
    per_course: dict = defaultdict(lambda: [0, 0])
    for key, e, c in qs.values_list("course_key").annotate(e=Count("pk"), c=Count("pk", filter=completed_q)):
        info = courses.get(key)
        origin = info.origin_key if info and info.origin_key in courses else key
        per_course[origin][0] += e
        per_course[origin][1] += c
    board.courses = _rows(per_course, {k: courses[k].title if k in courses else k for k in per_course})

    # Per establishment (as recorded at enrolment).
    per_etab = {
        k: (e, c)
        for k, e, c in qs.values_list("establishment_id").annotate(e=Count("pk"), c=Count("pk", filter=completed_q))
    }
    etab_labels = {e.pk: f"{e.name} ({e.uai})" for e in Establishment.objects.filter(pk__in=[k for k in per_etab if k])}
    board.establishments = _rows(per_etab, etab_labels)

    # By région académique (within the scope: a manager sees only their académie's share of it).
    per_region = {
        k: (e, c)
        for k, e, c in qs.values_list("academie__region_id").annotate(e=Count("pk"), c=Count("pk", filter=completed_q))
    }
    region_labels = dict(RegionAcademique.objects.filter(pk__in=[k for k in per_region if k]).values_list("pk", "name"))
    board.regions = _rows(per_region, region_labels)

    board.most_secured, board.least_secured = competency_figures(scope=scope, enrolments=qs)
    return board


def export_columns() -> list[exports.Column]:
    """The dashboard's CSV (its tables, with the same suppression as on screen)."""
    return [
        ("section", _("Section"), "text"),
        ("label", _("Label"), "text"),
        ("enrolled", _("Enrolments"), "text"),
        ("completed", _("Completions"), "text"),
        ("rate", _("Completion rate"), "text"),
    ]


def export_rows(board: Dashboard) -> Iterator[tuple[str, ...]]:
    yield (_("Total"), "", str(board.total.enrolled), str(board.total.completed), str(board.total.rate))
    for m in board.months:
        yield (_("Month"), m.month.strftime("%Y-%m"), str(m.enrolled), str(m.completed), "")
    for section, group in (
        (_("Course"), board.courses),
        (_("Establishment"), board.establishments),
        (_("Academic region"), board.regions),
    ):
        for r in group:
            yield (section, r.label, str(r.enrolled), str(r.completed), str(r.rate))


def competency_figures(*, scope: Scope, enrolments, limit: int = 5) -> tuple[list[CompetencyRow], list[CompetencyRow]]:
    """Competencies most and least secured among the learners in scope, by ``competencies``' own rule."""
    learners = enrolments.values("user_id")
    secured: dict[int, int] = defaultdict(int)
    assessed: dict[int, int] = defaultdict(int)
    current: tuple[int, int] | None = None
    batch: list = []

    def flush():
        if current and batch:
            state, _answered, _correct = evaluate(batch)
            assessed[current[1]] += 1
            if state == SECURED:
                secured[current[1]] += 1

    evidence = Evidence.objects.filter(user_id__in=learners).order_by("user_id", "item_id", "occurred_at", "pk")
    for e in evidence.iterator(chunk_size=2000):
        key = (e.user_id, e.item_id)
        if key != current:
            flush()
            current, batch = key, []
        batch.append(e)
    flush()
    if not assessed:
        return [], []
    items = {i.pk: i for i in CompetencyItem.objects.filter(pk__in=list(assessed))}
    rows = []
    for item_id, n in assessed.items():
        item = items[item_id]
        rows.append(
            CompetencyRow(
                f"{item.code} {item.label}".strip(),
                sn.part_of(secured[item_id], n),
                sn.count(n),
                sn.rate(secured[item_id], n),
            )
        )
    shown = [r for r in rows if not r.rate.suppressed]
    shown.sort(key=lambda r: (r.rate.value, r.label))
    most = list(reversed(shown[-limit:]))
    least = shown[:limit]
    return most, least
