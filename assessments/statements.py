"""The quiz's xAPI statements: `answered` per question, `passed`/`failed` per attempt, `completed` for a positioning
quiz. Built with the `xapi` helpers from the learner's context (`courses.context`); callers enqueue them in their transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from courses.context import LearningContext
from courses.statements import context_for, page_activity
from xapi import statements as xs
from xapi import vocabulary as v
from xapi.conf import send_free_text

from . import scoring
from .models import OptionRole, Question, QuizPage


def _texts(question: Question, role: str) -> list[tuple[str, str]]:
    return [(o.key, o.text) for o in question.options_by_role(role)]


def interaction_for(question: Question) -> dict[str, Any]:
    """A `cmi.interaction` activity for the question: its id is built from the question's translation_key, its
    choices/source/target/scale carry the options' stable keys."""
    lang = question.locale.language_code
    key = str(question.translation_key)
    name = {lang: question.title or question.prompt[:200]}
    description = {lang: question.prompt}
    kind = question.question_type
    spec = question.spec()
    common: dict[str, Any] = {"name": name, "description": description, "lang": lang}
    if kind == scoring.TRUE_FALSE:
        right = sorted(spec.correct)
        return xs.true_false_interaction(key, correct=(right[0] == "true") if right else None, **common)
    if kind in (scoring.SINGLE, scoring.MULTIPLE):
        correct = [k for k in spec.options if k in spec.correct]
        return xs.choice_interaction(key, choices=_texts(question, OptionRole.CHOICE), correct=correct, **common)
    if kind == scoring.ORDERING:
        return xs.sequencing_interaction(
            key, choices=_texts(question, OptionRole.ITEM), correct_order=list(spec.options), **common
        )
    if kind == scoring.MATCHING:
        return xs.matching_interaction(
            key,
            source=_texts(question, OptionRole.SOURCE),
            target=_texts(question, OptionRole.TARGET),
            correct_pairs=list(spec.pairs.items()),
            **common,
        )
    if kind == scoring.SHORT_TEXT:
        return xs.fill_in_interaction(key, correct=list(spec.accepted), case_matters=question.case_sensitive, **common)
    if kind == scoring.NUMERIC:
        return xs.numeric_interaction(key, minimum=spec.minimum, maximum=spec.maximum, **common)
    if kind == scoring.LIKERT:
        return xs.likert_interaction(key, scale=_texts(question, OptionRole.SCALE), **common)
    raise ValueError(kind)


def response_text(kind: str, value: Any) -> str:
    """`result.response` in the xAPI notation, from the answer in stable ids."""
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.LIKERT):
        return str(value)
    if kind in (scoring.MULTIPLE, scoring.ORDERING):
        return xs.response_list(list(value))
    if kind == scoring.MATCHING:
        return xs.response_pairs(sorted(dict(value).items()))
    return str(value)


def answer_result(kind: str, text: str) -> dict[str, Any]:
    """`result.response` for an answer. A free-text answer stays in the platform (where erasure reaches it): the LRS
    gets its length in a result extension, unless XAPI_SEND_FREE_TEXT is on."""
    if kind == scoring.SHORT_TEXT and not send_free_text():
        return {"extensions": {xs.extension_iri(v.EXT_RESPONSE_LENGTH_NAME): len(text)}}
    return {"response": text}


def _context(ctx: LearningContext, *, quiz: QuizPage, competencies, question_level: bool) -> dict[str, Any]:
    context = context_for(ctx, module=ctx.module, competencies=competencies, language=quiz.locale.language_code)
    if question_level:  # an answer belongs to the quiz, within the module and the course
        activities = context.setdefault("contextActivities", {})
        activities["parent"] = [page_activity(quiz, v.ASSESSMENT)]
        activities["grouping"] = [page_activity(ctx.module, v.MODULE), page_activity(ctx.course, v.COURSE)]
    return context


def answered(ctx: LearningContext, *, quiz: QuizPage, question: Question, response) -> dict[str, Any]:
    result = answer_result(question.question_type, response.response_text)
    if response.success is not None:
        result["success"] = bool(response.success)
    return xs.build_statement(
        actor=ctx.actor,
        verb=v.ANSWERED,
        object=interaction_for(question),
        result=result,
        context=_context(ctx, quiz=quiz, competencies=list(question.competencies.all()), question_level=True),
        timestamp=response.answered_at,
    )


def graded(ctx: LearningContext, *, quiz: QuizPage, attempt, competencies, when: dt.datetime) -> dict[str, Any]:
    """`passed` or `failed` for an attempt: scaled score, integer raw with min and max, duration, mastery score."""
    seconds = max((when - attempt.started_at).total_seconds(), 0.0)
    result: dict[str, Any] = {"success": bool(attempt.passed), "duration": seconds}
    if attempt.score_max:
        result["score"] = xs.score(raw=attempt.score_raw, min=0, max=attempt.score_max, scaled=attempt.score_scaled)
    context = _context(ctx, quiz=quiz, competencies=competencies, question_level=False)
    context.setdefault("extensions", {})[v.EXT_MASTERY_SCORE] = round(quiz.pass_mark_percent / 100, 4)
    return xs.build_statement(
        actor=ctx.actor,
        verb=v.PASSED if attempt.passed else v.FAILED,
        object=page_activity(quiz, v.ASSESSMENT),
        result=result,
        context=context,
        timestamp=when,
    )


def positioning_completed(
    ctx: LearningContext, *, quiz: QuizPage, attempt, competencies, when: dt.datetime
) -> dict[str, Any]:
    """A positioning quiz has no grade: its end is `completed` (once per registration)."""
    seconds = max((when - attempt.started_at).total_seconds(), 0.0)
    return xs.build_statement(
        actor=ctx.actor,
        verb=v.COMPLETED,
        object=page_activity(quiz, v.ASSESSMENT),
        result={"completion": True, "duration": seconds},
        context=_context(ctx, quiz=quiz, competencies=competencies, question_level=False),
        timestamp=when,
    )
