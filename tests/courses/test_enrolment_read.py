"""The enrolment read of every learner's page (`courses.enrolments.enrolment_for`): one statement, in SQL, that must
give the same answers on SQLite and PostgreSQL (both legs run this file)."""

import datetime as dt
import uuid

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

import pytest

from courses.enrolments import enrolment_for
from courses.models import ActivityProgress, Enrolment, LearningSession
from xapi.actors import pseudonym_for
from xapi.models import XapiPseudonym


@pytest.fixture
def enrolled(build_course, teacher):
    """An enrolment row alone: no session, no progress, no pseudonym yet (`services.enrol` would open a session)."""
    world = build_course(1, 3, translate=False)
    return world, Enrolment.objects.create(user=teacher, course_key=world["course"].translation_key)


def test_nobody_and_the_not_enrolled_get_none(build_course, teacher, django_assert_num_queries):
    course = build_course(1, 1, translate=False)["course"]
    assert enrolment_for(user=AnonymousUser(), course=course) is None
    with django_assert_num_queries(1):
        assert enrolment_for(user=teacher, course=course) is None


def test_done_keys_open_session_and_pseudonym_come_in_one_query(enrolled, teacher, django_assert_num_queries):
    world, enrolment = enrolled
    lessons = world["lessons"]
    now = timezone.now().replace(microsecond=123456)
    ActivityProgress.objects.create(
        enrolment=enrolment, activity_key=lessons[0].translation_key, kind="lesson", completed_at=now
    )
    ActivityProgress.objects.create(enrolment=enrolment, activity_key=lessons[1].translation_key, kind="lesson")
    LearningSession.objects.create(
        user=teacher,
        enrolment=enrolment,
        started_at=now - dt.timedelta(hours=3),
        last_activity_at=now - dt.timedelta(hours=2),
        ended_at=now - dt.timedelta(hours=2),
    )
    older_open = LearningSession.objects.create(
        user=teacher,
        enrolment=enrolment,
        started_at=now - dt.timedelta(hours=1),
        last_activity_at=now - dt.timedelta(minutes=50),
    )
    newest_open = LearningSession.objects.create(
        user=teacher, enrolment=enrolment, started_at=now - dt.timedelta(minutes=5), last_activity_at=now
    )
    pseudonym = XapiPseudonym.objects.create(user=teacher)
    fresh = type(teacher).objects.get(pk=teacher.pk)

    with django_assert_num_queries(1):
        read = enrolment_for(user=fresh, course=world["course"])
        assert pseudonym_for(fresh) == pseudonym.pseudonym  # (no other read: it came with the enrolment)

    assert read.pk == enrolment.pk and read.user is fresh and read.registration == enrolment.registration
    assert {uuid.UUID(key) for key in read.done_keys.split(",")} == {lessons[0].translation_key}
    assert older_open.pk != read.open_session_pk == newest_open.pk
    assert read.open_session_uuid == newest_open.session_id
    assert read.open_session_last == now and timezone.is_aware(read.open_session_last)


def test_a_first_visit_has_no_session_no_progress_and_gets_a_pseudonym_on_first_use(enrolled, teacher):
    world, _ = enrolled
    fresh = type(teacher).objects.get(pk=teacher.pk)
    read = enrolment_for(user=fresh, course=world["course"])
    assert read.done_keys is None and read.open_session_pk is None and read.open_session_last is None
    created = pseudonym_for(fresh)
    assert XapiPseudonym.objects.get(user=teacher).pseudonym == created
