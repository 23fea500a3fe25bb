"""The xAPI statements of the learner's journey, built with the `xapi` helpers from the learner's context.

Callers enqueue them in the same transaction as the progress they describe.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from xapi import vocabulary as v
from xapi.statements import activity, build_statement, make_context

from .context import LearningContext

KIND_BY_TYPE = {v.COURSE: "course", v.MODULE: "module", v.LESSON: "lesson", v.ASSESSMENT: "assessment"}


def page_activity(page, activity_type: str) -> dict[str, Any]:
    """An activity whose id is built from the page's translation_key (the same in every language)."""
    return activity(
        KIND_BY_TYPE[activity_type],
        str(page.translation_key),
        type=activity_type,
        name={page.locale.language_code: page.title},
    )


def competency_activity(item) -> dict[str, Any]:
    return activity(
        "competency",
        str(item.identifier),
        type=v.OBJECTIVE,
        name={"fr": item.label_fr or item.code, "en": item.label_en or item.code},
    )


def course_context(ctx: LearningContext) -> dict:
    """The context of a statement about the course itself: registration, session, the course's language."""
    return make_context(registration=ctx.registration, session_id=ctx.session_id, language=ctx.language)


def context_for(ctx: LearningContext, *, module=None, competencies=(), language: str | None = None) -> dict:
    """The context of a statement inside the course: the parent module (or the course), the grouping course, the
    competencies as categories, the session, the language of the statement's object (else the course's)."""
    course = ctx.course
    parent = [page_activity(module, v.MODULE)] if module is not None else [page_activity(course, v.COURSE)]
    grouping = [page_activity(course, v.COURSE)] if module is not None else []
    return make_context(
        registration=ctx.registration,
        parent=parent,
        grouping=grouping,
        category=[competency_activity(item) for item in competencies],
        session_id=ctx.session_id,
        language=language or ctx.language,
    )


def launched(ctx: LearningContext, *, when: dt.datetime) -> dict:
    return build_statement(
        actor=ctx.actor,
        verb=v.LAUNCHED,
        object=page_activity(ctx.course, v.COURSE),
        context=course_context(ctx),
        timestamp=when,
    )


def experienced(ctx: LearningContext, *, lesson, competencies, when: dt.datetime) -> dict:
    return build_statement(
        actor=ctx.actor,
        verb=v.EXPERIENCED,
        object=page_activity(lesson, v.LESSON),
        context=context_for(ctx, module=ctx.module, competencies=competencies, language=lesson.locale.language_code),
        timestamp=when,
    )


def _target_context(ctx: LearningContext, target_type: str) -> dict:
    """A module's statements have the course as parent; a course's have no parent."""
    return context_for(ctx) if target_type == v.MODULE else course_context(ctx)


def progressed(ctx: LearningContext, *, target, target_type: str, percent: int, when: dt.datetime) -> dict:
    return build_statement(
        actor=ctx.actor,
        verb=v.PROGRESSED,
        object=page_activity(target, target_type),
        result={"extensions": {v.EXT_PROGRESS: int(percent)}},
        context=_target_context(ctx, target_type),
        timestamp=when,
    )


def completed(ctx: LearningContext, *, target, target_type: str, seconds: float, when: dt.datetime) -> dict:
    return build_statement(
        actor=ctx.actor,
        verb=v.COMPLETED,
        object=page_activity(target, target_type),
        result={"completion": True, "duration": max(seconds, 0.0)},
        context=_target_context(ctx, target_type),
        timestamp=when,
    )


def terminated(ctx: LearningContext, *, ended_at: dt.datetime) -> dict:
    session = ctx.session
    seconds = (session.last_activity_at - session.started_at).total_seconds()
    return build_statement(
        actor=ctx.actor,
        verb=v.TERMINATED,
        object=page_activity(ctx.course, v.COURSE),
        result={"duration": max(seconds, 0.0)},
        context=course_context(ctx),
        timestamp=min(ended_at, timezone.now()),
    )
