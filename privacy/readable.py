"""The readable part of "Download my data": what a teacher sees when opening index.html (offline, in their language).

The JSON and the CSV files keep every field for machines; this page shows the same records the way a person reads
them: course and activity titles instead of keys, questions and the answers as given, competency codes and labels,
dates in words. No internal field names or identifiers. Built in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _


@dataclass
class Answer:
    question: str
    given: str
    correct: bool | None  # None: not scored, or not shown yet (attempt still open)


@dataclass
class AttemptView:
    quiz: str
    course: str
    number: int
    started: str
    submitted: str
    open: bool
    percent: int | None
    passed: bool | None
    answers: list[Answer] = field(default_factory=list)


@dataclass
class Readable:
    account: list[tuple[str, str]]
    enrolments: list[dict[str, Any]]
    attempts: list[AttemptView]
    evidence: list[dict[str, Any]]
    attestations: list[dict[str, Any]]


def human_date(value: dt.datetime | dt.date | None, *, with_time: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if not with_time:
            value = value.date()
    return formats.date_format(value, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")


def _titles(keys: set, language: str) -> dict[str, str]:
    """Page titles by translation key, in the learner's language when the page exists in it."""
    from wagtail.models import Page

    titles: dict[str, str] = {}
    wanted = {str(k) for k in keys if k}
    if not wanted:
        return titles
    pages = Page.objects.filter(translation_key__in=[uuid.UUID(k) for k in wanted if _is_uuid(k)])
    for key, title, lang in pages.values_list("translation_key", "title", "locale__language_code"):
        if str(key) not in titles or lang == language:
            titles[str(key)] = title
    return titles


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def _answer_text(question, value: Any) -> str:
    """The answer as the learner gave it: option texts for choices, the text or number as typed otherwise."""
    if question is None:
        return str(value)
    texts = {o.key: o.text for o in question.options.all()}
    kind = question.question_type
    if isinstance(value, dict):  # matching: source → target
        return "; ".join(f"{texts.get(s, s)} → {texts.get(t, t)}" for s, t in value.items())
    if isinstance(value, list):
        if kind == "ordering":
            return " ; ".join(f"{n}. {texts.get(k, k)}" for n, k in enumerate(value, start=1))
        return ", ".join(texts.get(k, k) for k in value)
    return texts.get(str(value), str(value))


def build(user, *, language: str) -> Readable:
    from assessments.models import Attempt, Response
    from competencies.models import Evidence
    from courses.models import ActivityProgress, Enrolment
    from reports.models import Attestation

    account = [
        (_("Name"), user.get_full_name() or "—"),
        (_("E-mail"), user.email),
        (_("Académie"), user.academie.name if user.academie_id else "—"),
        (_("Establishment"), user.establishment.name if user.establishment_id else "—"),
        (_("Language"), _("French") if (user.preferred_language or "fr") == "fr" else _("English")),
        (_("Account created on"), human_date(user.date_joined)),
        (_("Last log-in"), human_date(user.last_login, with_time=True)),
    ]
    enrolments = list(Enrolment.objects.filter(user=user).order_by("enrolled_at"))
    progress = list(ActivityProgress.objects.filter(enrolment__user=user).order_by("first_seen_at"))
    attempts = list(Attempt.objects.filter(user=user).order_by("started_at"))
    responses = list(
        Response.objects.filter(attempt__user=user).select_related("question").prefetch_related("question__options")
    )
    evidence = list(
        Evidence.objects.filter(user=user).select_related("item", "item__framework").order_by("occurred_at")
    )
    attestations = list(Attestation.objects.filter(enrolment__user=user).order_by("issued_at"))
    keys = (
        {e.course_key for e in enrolments}
        | {p.activity_key for p in progress}
        | {a.quiz_key for a in attempts}
        | {e.source_key for e in evidence}
    )
    titles = _titles(keys, language)
    untitled = _("(an activity no longer published)")

    by_enrolment: dict[int, list] = {}
    for p in progress:
        by_enrolment.setdefault(p.enrolment_id, []).append(p)
    kinds = dict(ActivityProgress.Kind.choices)
    enrolment_rows = []
    course_of_enrolment = {}
    for e in enrolments:
        course = titles.get(str(e.course_key), untitled)
        course_of_enrolment[e.pk] = course
        enrolment_rows.append(
            {
                "course": course,
                "enrolled": human_date(e.enrolled_at),
                "completed": human_date(e.completed_at) if e.completed_at else _("not yet"),
                "activities": [
                    {
                        "title": titles.get(str(p.activity_key), untitled),
                        "kind": kinds.get(p.kind, p.kind),
                        "first_seen": human_date(p.first_seen_at),
                        "completed": human_date(p.completed_at) if p.completed_at else _("not yet"),
                        "score": None if p.score is None else round(p.score * 100),
                    }
                    for p in by_enrolment.get(e.pk, [])
                ],
            }
        )

    answers_of: dict[Any, list] = {}
    for r in sorted(responses, key=lambda r: r.slot):
        answers_of.setdefault(r.attempt_id, []).append(r)
    attempt_views = []
    for a in attempts:
        is_open = a.is_open
        attempt_views.append(
            AttemptView(
                quiz=titles.get(str(a.quiz_key), untitled),
                course=course_of_enrolment.get(a.enrolment_id, ""),
                number=a.number,
                started=human_date(a.started_at, with_time=True),
                submitted=human_date(a.submitted_at, with_time=True) if a.submitted_at else _("still open"),
                open=is_open,
                percent=None if is_open else a.percent,
                passed=None if is_open else a.passed,
                answers=[
                    Answer(
                        question=(r.question.prompt if r.question else _("(a question since removed)")),
                        given=_answer_text(r.question, r.value),
                        correct=None if is_open else r.success,
                    )
                    for r in answers_of.get(a.pk, [])
                ],
            )
        )

    # One line per competency (not per answer): how many pieces of evidence, how many correct, from which activities.
    grouped: dict[int, dict[str, Any]] = {}
    for ev in evidence:
        row = grouped.setdefault(
            ev.item_id,
            {
                "competency": f"{ev.item.code} {ev.item.label}".strip(),
                "framework": ev.item.framework.title,
                "order": (ev.item.framework.code, ev.item.path),
                "count": 0,
                "correct": 0,
                "activities": [],
                "last": ev.occurred_at,
            },
        )
        row["count"] += 1
        row["correct"] += 1 if ev.correct else 0
        title = titles.get(ev.source_key, untitled)
        if title not in row["activities"]:
            row["activities"].append(title)
        row["last"] = max(row["last"], ev.occurred_at)
    evidence_rows = [
        {**row, "activities": ", ".join(row["activities"]), "last": human_date(row["last"])}
        for row in sorted(grouped.values(), key=lambda r: r["order"])
    ]
    attestation_rows = [
        {
            "course": a.course_title_en if language == "en" and a.course_title_en else a.course_title_fr,
            "completed": human_date(a.completed_on),
            "hours": formats.number_format(a.estimated_hours, 1),
            "code": a.code,
            "issued": human_date(a.issued_at),
        }
        for a in attestations
    ]
    return Readable(
        account=account,
        enrolments=enrolment_rows,
        attempts=attempt_views,
        evidence=evidence_rows,
        attestations=attestation_rows,
    )
