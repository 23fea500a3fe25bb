"""Writes: starting an attempt, saving answers, finishing an attempt. Each writes its statements to the outbox in
the same transaction, and each is safe against double clicks, back-and-resubmit and two tabs:

- an attempt row is locked (`select_for_update`) before anything is read or written for it;
- the database holds one open attempt per learner and quiz, one attempt per number, one response per question slot;
- finishing an attempt that is already finished changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competencies.evidence import EvidenceInput, record_evidence_bulk
from competencies.models import EvidenceKind
from courses.context import LearningContext
from courses.enrolments import enrolment_for
from courses.learning_sessions import open_session
from courses.models import CoursePage, ModulePage
from courses.selectors import course_and_module
from courses.services import complete_activity, enrol
from xapi.outbox import enqueue

from . import revisions, scoring
from . import statements as st
from .models import Attempt, AttemptState, QuizPage, Response
from .selectors import answered_slots, build_layout, layout_questions, quiz_questions

# Answers arriving a few seconds after the deadline (the time for the request to travel) are still accepted.
DEADLINE_GRACE = dt.timedelta(seconds=5)


class QuizError(Exception):
    """A refusal the learner should read (attempts used up, attempt already submitted, time up)."""


class EnrolmentNotConfirmed(QuizError):
    """Starting the quiz would enrol the learner in its course: never silently, the quiz page asks first."""


def _course_of(quiz: QuizPage) -> tuple[CoursePage, ModulePage]:
    course, module = course_and_module(quiz)
    if course is None or module is None:
        raise QuizError(_("This quiz is not inside a course module."))
    return course, module


def attempts_left(*, quiz: QuizPage, used: int) -> int | None:
    return None if not quiz.max_attempts else max(quiz.max_attempts - used, 0)


@transaction.atomic
def start_attempt(
    *, user, quiz: QuizPage, rng: random.Random | None = None, enrolment_confirmed: bool = True
) -> Attempt:
    """Resume the learner's open attempt, or start a new one if the attempt limit allows (enrols in the course).

    A learner not enrolled yet must have confirmed the enrolment (`enrolment_confirmed`, the quiz page's "Enrol and
    start" button), else `EnrolmentNotConfirmed`. Two tabs starting at once get the same attempt: the second insert
    breaks a unique constraint and picks up the first one's row instead.
    """
    if not enrolment_confirmed:
        course, _module = course_and_module(quiz)
        if course is not None and enrolment_for(user=user, course=course) is None:
            raise EnrolmentNotConfirmed(
                _("Starting this quiz enrols you in its course: confirm with the button below.")
            )
    open_attempt = (
        Attempt.objects.select_for_update()
        .filter(user=user, quiz_key=quiz.translation_key, state=AttemptState.IN_PROGRESS)
        .first()
    )
    if open_attempt is not None:
        return open_attempt
    used = Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).count()
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise QuizError(
            ngettext(
                "You have used your %(count)d attempt at this quiz: no new attempt is possible.",
                "You have used all %(count)d attempts at this quiz: no new attempt is possible.",
                quiz.max_attempts,
            )
            % {"count": quiz.max_attempts}
        )
    questions = quiz_questions(quiz=quiz, rng=rng)
    if not questions:
        raise QuizError(_("This quiz has no questions yet."))
    course, module = _course_of(quiz)
    enrolment = enrol(user=user, course=course)  # (the quiz page asks the learner first)
    open_session(context=LearningContext(user=user, enrolment=enrolment, course=course, module=module))
    now = timezone.now()
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                quiz_key=quiz.translation_key,
                number=used + 1,
                enrolment=enrolment,
                layout=revisions.record(
                    build_layout(
                        questions,
                        shuffle_questions=quiz.shuffle_questions,
                        shuffle_choices=quiz.shuffle_choices,
                        rng=rng,
                    ),
                    questions,
                ),
                started_at=now,
                deadline=now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
            )
    except IntegrityError:
        # Another request started it meanwhile (double click, two tabs): that one is the attempt.
        open_attempt = Attempt.objects.filter(
            user=user, quiz_key=quiz.translation_key, state=AttemptState.IN_PROGRESS
        ).first()
        if open_attempt is None:
            raise QuizError(_("Another attempt was submitted meanwhile: reload the quiz page.")) from None
        return open_attempt


@dataclass
class AnswerResult:
    attempt: Attempt
    saved: list[Response] = field(default_factory=list)
    already_answered: list[int] = field(default_factory=list)  # slots submitted again: the first answer is kept
    time_up: bool = False
    statements: list[dict] = field(default_factory=list)


def _lock(*, user, attempt_id: UUID) -> Attempt:
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "quiz__locale")
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise QuizError(_("This attempt does not exist."))
    return attempt


def time_up(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + DEADLINE_GRACE


@transaction.atomic
def save_answers(
    *, user, attempt_id: UUID, answers: Mapping[int, Any], quiz: QuizPage | None = None, questions: dict | None = None
) -> AnswerResult:
    """Record answers (slot -> answer in stable ids, already validated by the form), score them and write one
    `answered` statement each, in a constant number of queries whatever the number of answers.

    An answer is final: a slot answered already is reported in `already_answered` and left as it was. After the
    time limit nothing is recorded: the attempt is finished with the answers it has and `time_up` is set.
    """
    attempt = _lock(user=user, attempt_id=attempt_id)
    if not attempt.is_open:
        raise QuizError(_("This attempt is already submitted: your answers can no longer change."))
    now = timezone.now()
    quiz = quiz or attempt.quiz
    if time_up(attempt, now):
        _finish_locked(user=user, attempt=attempt, quiz=quiz, now=now, expired=True)
        return AnswerResult(attempt=attempt, time_up=True)
    existing = set(attempt.responses.values_list("slot", flat=True))
    result = AnswerResult(attempt=attempt, already_answered=sorted(s for s in answers if s in existing))
    todo = {slot: value for slot, value in answers.items() if slot not in existing and 0 <= slot < len(attempt.layout)}
    if not todo:
        return result
    if questions is None:  # (the view passes those it has read for the forms: the attempt's layout never changes)
        questions = layout_questions(attempt=attempt, locale_id=quiz.locale_id)
    rows = []
    for slot, value in sorted(todo.items()):
        question = questions.get(slot)
        if question is None:  # removed from the bank since the attempt started: nothing to record
            continue
        outcome = scoring.score(question.spec(), value)
        stored = scoring.number_text(value) if isinstance(value, Decimal) else value
        rows.append(
            Response(
                attempt=attempt,
                slot=slot,
                question=question,
                question_key=question.translation_key,
                value=stored,
                response_text=st.response_text(question.question_type, stored),
                raw=outcome.raw,
                max=outcome.max,
                success=outcome.success,
                answered_at=now,
            )
        )
    if not rows:
        return result
    Response.objects.bulk_create(rows)
    course, module = _course_of(quiz)
    enrolment = attempt.enrolment or enrol(user=user, course=course)  # (an enrolment erased since: enrol again)
    learner = LearningContext(user=user, enrolment=enrolment, course=course, module=module)
    context = open_session(context=learner, now=now)
    result.statements = [st.answered(context, quiz=quiz, question=questions[row.slot], response=row) for row in rows]
    enqueue(result.statements)
    result.saved = rows
    return result


@dataclass
class FinishResult:
    attempt: Attempt
    newly_finished: bool
    statements: list[dict] = field(default_factory=list)
    completion: Any = None


@transaction.atomic
def finish_attempt(
    *, user, attempt_id: UUID, quiz: QuizPage | None = None, every_answer_required: bool = False
) -> FinishResult:
    """Submit an attempt: total score, pass or fail, competency evidence, completion of the activity when passed,
    and `passed`/`failed` (none after an earlier pass: cmi5). Finishing twice changes nothing.

    `every_answer_required` (the learner's own submission): refused while a question is unanswered, unless time is
    up (then the attempt is submitted with the answers it has, as when the time runs out)."""
    attempt = _lock(user=user, attempt_id=attempt_id)
    if not attempt.is_open:
        return FinishResult(attempt=attempt, newly_finished=False)
    now = timezone.now()
    quiz = quiz or attempt.quiz
    expired = time_up(attempt, now)
    if every_answer_required and not expired and len(answered_slots(attempt)) < len(attempt.layout):
        raise QuizError(_("Answer every question before submitting your attempt."))
    return _finish_locked(user=user, attempt=attempt, quiz=quiz, now=now, expired=expired)


def _finish_locked(*, user, attempt: Attempt, quiz: QuizPage, now: dt.datetime, expired: bool) -> FinishResult:
    questions = layout_questions(attempt=attempt, locale_id=quiz.locale_id)
    responses = {r.slot: r for r in attempt.responses.all()}
    raw = top = 0
    for slot, question in questions.items():
        response = responses.get(slot)
        if response is not None:
            raw += response.raw
            top += response.max
        else:  # unanswered (time up): nothing earned, everything possible
            top += scoring.max_points(question.spec())
    attempt.state = AttemptState.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline + DEADLINE_GRACE) if expired and attempt.deadline else now
    attempt.expired = expired
    attempt.score_raw, attempt.score_max = raw, top
    attempt.score_scaled = raw / top if top else None
    attempt.passed = None if quiz.is_positioning else scoring.passes(raw, top, quiz.pass_mark_percent)
    attempt.save(update_fields=["state", "submitted_at", "expired", "score_raw", "score_max", "score_scaled", "passed"])

    entries = [
        EvidenceInput(
            item=item.pk,
            source_key=str(quiz.translation_key),
            attempt_key=str(attempt.pk),
            question_key=str(question.translation_key),
            correct=response.success,
            score=response.raw / response.max,
            occurred_at=response.answered_at,
            # A positioning quiz is not an exam: its answers build the self-positioning profile only.
            kind=EvidenceKind.POSITIONING if quiz.is_positioning else EvidenceKind.ANSWER,
        )
        for slot, question in questions.items()
        if (response := responses.get(slot)) is not None and response.max
        for item in question.competencies.all()
    ]
    record_evidence_bulk(user=user, entries=entries)

    course, module = _course_of(quiz)
    enrolment = attempt.enrolment or enrol(user=user, course=course)  # (an enrolment erased since: enrol again)
    learner = LearningContext(user=user, enrolment=enrolment, course=course, module=module)
    context = open_session(context=learner, now=now)
    earlier = Attempt.objects.filter(user=user, quiz_key=attempt.quiz_key, state=AttemptState.SUBMITTED).exclude(
        pk=attempt.pk
    )
    facts = {
        "quiz": quiz,
        "attempt": attempt,
        "competencies": list(quiz.competencies.all()),
        "when": attempt.submitted_at,
    }
    pending: list[dict] = []
    if quiz.is_positioning:
        if not earlier.exists():
            pending.append(st.positioning_completed(context, **facts))
    elif not earlier.filter(passed=True).exists():  # cmi5: after a pass, no new passed nor failed
        pending.append(st.graded(context, **facts))
    if pending:
        enqueue(pending)
    result = FinishResult(attempt=attempt, newly_finished=True, statements=pending)
    if attempt.passed or quiz.is_positioning:
        result.completion = complete_activity(user=user, page=quiz, score=attempt.score_scaled, context=context)
    return result
