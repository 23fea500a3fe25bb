"""assessments' personal data: attempts and answers, and what the learner has not been shown yet.

The download leaves out the per-attempt token map and question draw (`Attempt.layout`), every answer key (the
correct-response pattern of a question that may come back in a later attempt) and, while an attempt is open, how its
answers were scored (shown when the attempt ends), in the tables and in the statements alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.personal_data import Data, ErasureStep, PersonalData, Titles, human_date, register
from xapi.personal_data import STATEMENTS_LABEL

from .models import Attempt, AttemptState, QuestionType, Response

HIDDEN_ALWAYS = {"assessments.Attempt": {"layout"}}
HIDDEN_WHILE_OPEN = {"assessments.Response": {"success", "raw", "max"}}


def _without_answer_keys(statement: dict) -> dict:
    definition = statement.get("object", {}).get("definition")
    if isinstance(definition, dict):
        definition.pop("correctResponsesPattern", None)
    return statement


def _during_open_attempt(statement: dict, open_quizzes: dict[str, dt.datetime]) -> bool:
    """An answer given during an attempt still open: its success is not shown before the attempt ends."""
    parents = statement.get("context", {}).get("contextActivities", {}).get("parent", [])
    try:
        when = dt.datetime.fromisoformat(str(statement.get("timestamp", "")).replace("Z", "+00:00"))
    except ValueError:
        when = None
    for parent in parents:
        started = open_quizzes.get(str(parent.get("id", "")).rsplit("/", 1)[-1])
        if started is not None and (when is None or when >= started):
            return True
    return False


def shown(user, data: Data) -> None:
    """Remove from the download what the learner has not been shown."""
    open_attempts = list(
        Attempt.objects.filter(user=user, state=AttemptState.IN_PROGRESS).values_list("pk", "quiz_key", "started_at")
    )
    open_ids = {pk for pk, _key, _started in open_attempts}
    open_quizzes = {str(key): started for _pk, key, started in open_attempts}
    for label in set(HIDDEN_ALWAYS) | set(HIDDEN_WHILE_OPEN):
        if label not in data:
            continue
        hidden, while_open = HIDDEN_ALWAYS.get(label, set()), HIDDEN_WHILE_OPEN.get(label, set())
        for row in data[label]:
            drop = hidden | (while_open if row.get("attempt_id") in open_ids else set())
            for name in drop:
                row.pop(name, None)
    for row in data.get(STATEMENTS_LABEL, []):
        statement = row.get("payload")
        if isinstance(statement, dict):
            _without_answer_keys(statement)
            if _during_open_attempt(statement, open_quizzes):
                for name in ("success", "score"):
                    statement.get("result", {}).pop(name, None)


def estimate(user) -> int:
    return Response.objects.filter(attempt__user=user).count()


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


def readable_attempts(user, *, language: str):
    """Each attempt with the questions and the answers as given (their result once the attempt is over)."""
    attempts = list(Attempt.objects.filter(user=user).select_related("enrolment").order_by("started_at"))
    responses = list(
        Response.objects.filter(attempt__user=user).select_related("question").prefetch_related("question__options")
    )
    keys = {a.quiz_key for a in attempts} | {a.enrolment.course_key for a in attempts if a.enrolment_id}

    def build(titles: Titles) -> list[AttemptView]:
        untitled = _("(an activity no longer published)")
        answers_of: dict[Any, list] = {}
        for r in sorted(responses, key=lambda r: r.slot):
            answers_of.setdefault(r.attempt_id, []).append(r)
        views = []
        for a in attempts:
            is_open = a.is_open
            views.append(
                AttemptView(
                    quiz=titles.get(str(a.quiz_key), untitled),
                    course=titles.get(str(a.enrolment.course_key), untitled) if a.enrolment_id else "",
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
        return views

    return keys, build


def erase(user) -> dict[str, int]:
    """Free-text answers may hold anything the learner typed: removed; scores and choices stay for statistics."""
    blanked = Response.objects.filter(attempt__user=user, question__question_type=QuestionType.SHORT_TEXT).update(
        response_text="", value=""
    )
    return {"assessments.Response (free text removed)": blanked}


register(
    PersonalData(
        app_label="assessments",
        tables=("assessments.Attempt", "assessments.Response", "assessments.Question"),
        titles={"assessments.Response": gettext_lazy("Quiz answers")},
        shown=shown,
        estimate=estimate,
        readable={"attempts": readable_attempts},
        erasure=[ErasureStep(50, erase)],
    )
)
