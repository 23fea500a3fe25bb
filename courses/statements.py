"""The xAPI statements of the learner's journey, built with the `xapi` helpers.

Callers enqueue them in the same transaction as the progress they describe.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from xapi import vocabulary as v
from xapi.actors import actor_for
from xapi.statements import activity, build_statement, make_context

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


def context_for(*, enrolment, course, module=None, session=None, competencies=(), language: str | None = None) -> dict:
    """Context shared by every statement of a course: registration, parent module, grouping course, session."""
    parent = [page_activity(module, v.MODULE)] if module is not None else [page_activity(course, v.COURSE)]
    grouping = [page_activity(course, v.COURSE)] if module is not None else []
    return make_context(
        registration=enrolment.registration,
        parent=parent,
        grouping=grouping,
        category=[competency_activity(item) for item in competencies],
        session_id=str(session.session_id) if session is not None else None,
        language=language or course.locale.language_code,
    )


def launched(*, user, enrolment, course, session, when: dt.datetime) -> dict:
    return build_statement(
        actor=actor_for(user),
        verb=v.LAUNCHED,
        object=page_activity(course, v.COURSE),
        context=make_context(
            registration=enrolment.registration,
            session_id=str(session.session_id),
            language=course.locale.language_code,
        ),
        timestamp=when,
    )


def experienced(*, user, enrolment, lesson, module, course, session, competencies, when: dt.datetime) -> dict:
    return build_statement(
        actor=actor_for(user),
        verb=v.EXPERIENCED,
        object=page_activity(lesson, v.LESSON),
        context=context_for(
            enrolment=enrolment,
            course=course,
            module=module,
            session=session,
            competencies=competencies,
            language=lesson.locale.language_code,
        ),
        timestamp=when,
    )


def _target_context(*, enrolment, course, target_type: str, session) -> dict:
    """A module's statements have the course as parent; a course's have no parent."""
    if target_type == v.MODULE:
        return context_for(enrolment=enrolment, course=course, session=session)
    return make_context(
        registration=enrolment.registration,
        session_id=str(session.session_id) if session else None,
        language=course.locale.language_code,
    )


def progressed(*, user, enrolment, target, target_type: str, course, percent: int, session, when) -> dict:
    return build_statement(
        actor=actor_for(user),
        verb=v.PROGRESSED,
        object=page_activity(target, target_type),
        result={"extensions": {v.EXT_PROGRESS: int(percent)}},
        context=_target_context(enrolment=enrolment, course=course, target_type=target_type, session=session),
        timestamp=when,
    )


def completed(*, user, enrolment, target, target_type: str, course, seconds: float, session, when) -> dict:
    return build_statement(
        actor=actor_for(user),
        verb=v.COMPLETED,
        object=page_activity(target, target_type),
        result={"completion": True, "duration": max(seconds, 0.0)},
        context=_target_context(enrolment=enrolment, course=course, target_type=target_type, session=session),
        timestamp=when,
    )


def terminated(*, user, enrolment, course, session, ended_at: dt.datetime) -> dict:
    seconds = (session.last_activity_at - session.started_at).total_seconds()
    return build_statement(
        actor=actor_for(user),
        verb=v.TERMINATED,
        object=page_activity(course, v.COURSE),
        result={"duration": max(seconds, 0.0)},
        context=make_context(
            registration=enrolment.registration,
            session_id=str(session.session_id),
            language=course.locale.language_code,
        ),
        timestamp=min(ended_at, timezone.now()),
    )
