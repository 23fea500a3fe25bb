"""The learner's context (`courses.context.LearningContext`): built once, it gives every statement of an action the
same actor, registration, session and course."""

import dataclasses

from django.utils import timezone

import pytest

from courses import learning_sessions, services
from courses import statements as st
from courses.context import LearningContext
from courses.models import LearningSession
from xapi import vocabulary as v
from xapi.validation import statement_problems


@pytest.fixture
def learner(build_course, teacher):
    course = build_course(1, 1, translate=False)
    enrolment = services.enrol(user=teacher, course=course["course"])
    context = LearningContext(user=teacher, enrolment=enrolment, course=course["course"], module=course["modules"][0])
    return course, context


def test_a_context_is_frozen_and_opening_a_session_gives_a_new_one(learner):
    course, context = learner
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.session = None
    assert context.session is None and context.session_id is None
    opened = learning_sessions.open_session(context=context)
    session = LearningSession.objects.get(enrolment=context.enrolment, ended_at__isnull=True)
    assert opened.session == session and opened.session_id == str(session.session_id)
    assert (opened.user, opened.enrolment, opened.course, opened.module) == (
        context.user,
        context.enrolment,
        context.course,
        context.module,
    )
    assert context.session is None  # (the context it came from is unchanged)


def test_every_statement_of_a_context_shares_its_actor_registration_and_session(learner):
    course, context = learner
    context = learning_sessions.open_session(context=context)
    lesson = course["lessons"][0]
    now = timezone.now()
    built = [
        st.launched(context, when=now),
        st.experienced(context, lesson=lesson, competencies=[], when=now),
        st.progressed(context, target=context.module, target_type=v.MODULE, percent=50, when=now),
        st.completed(context, target=context.course, target_type=v.COURSE, seconds=60, when=now),
        st.terminated(context, ended_at=now),
    ]
    for statement in built:
        assert statement_problems(statement) == [], statement
        assert statement["actor"] == context.actor
        assert statement["context"]["registration"] == str(context.registration)
        assert statement["context"]["extensions"][v.EXT_SESSION_ID] == context.session_id
    experienced = built[1]["context"]["contextActivities"]
    assert experienced["parent"] == [st.page_activity(context.module, v.MODULE)]
    assert experienced["grouping"] == [st.page_activity(context.course, v.COURSE)]
    assert "contextActivities" not in built[0]["context"] and "contextActivities" not in built[3]["context"]
    assert built[2]["context"]["contextActivities"]["parent"] == [st.page_activity(context.course, v.COURSE)]
