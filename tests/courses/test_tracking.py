"""The tracking of a lesson view (`courses.tracking`): four writes together or not at all, in one SQL statement on
PostgreSQL when the learning session is open, in one transaction otherwise. Both legs run this file: SQLite the
transaction, PostgreSQL the statement (and the transaction when the session must be opened again)."""

import datetime as dt
import json

from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from courses import tracking
from courses.context import LearningContext
from courses.enrolments import enrolment_for
from courses.models import ActivityProgress, Enrolment, LearningSession
from xapi import vocabulary as v
from xapi.models import OutboxStatement

from .helpers import enrolled_and_started, outbox_statements


@pytest.fixture
def learner(client, build_course, teacher):
    """An enrolled teacher who has seen the first lesson (so the learning session is open), and the course."""
    return enrolled_and_started(client, build_course(n_modules=1, n_lessons=3, translate=False), teacher)


def context_for(teacher, world) -> LearningContext:
    """The learner's context as the lesson's view builds it: the enrolment read with its open session."""
    enrolment = enrolment_for(user=teacher, course=world["course"])
    return LearningContext(user=teacher, enrolment=enrolment, course=world["course"], module=world["modules"][0])


def tracking_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().startswith(("WITH", "INSERT", "UPDATE")) and "django_session" not in q["sql"]
    ]


def test_a_view_extends_the_session_and_writes_progress_enrolment_and_statement(client, learner, teacher):
    lesson = learner["lessons"][1]
    session = LearningSession.objects.get()
    LearningSession.objects.update(last_activity_at=timezone.now() - dt.timedelta(minutes=10))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(lesson.url).status_code == 200
    # PostgreSQL: one statement (data-modifying CTEs). SQLite: the four writes of one transaction.
    assert len(tracking_writes(captured)) == (1 if connection.vendor == "postgresql" else 4), tracking_writes(captured)
    session.refresh_from_db()
    assert timezone.now() - session.last_activity_at < dt.timedelta(minutes=1) and session.ended_at is None
    enrolment = Enrolment.objects.get()
    assert enrolment.last_activity_key == lesson.translation_key
    progress = ActivityProgress.objects.get(activity_key=lesson.translation_key)
    assert progress.kind == "lesson" and progress.completed_at is None
    experienced = outbox_statements("experienced")[-1]
    assert experienced["object"]["id"].endswith(str(lesson.translation_key))
    assert experienced["context"]["extensions"][v.EXT_SESSION_ID] == str(session.session_id)
    assert experienced["context"]["registration"] == str(enrolment.registration)
    assert len(outbox_statements("launched")) == 1  # the same session: no new one


def test_a_session_ended_after_the_read_gets_a_new_one_and_nothing_is_written_twice(learner, teacher):
    """The read said open; the learner logged out in another tab before the write: the view opens a new session
    (`launched`) and its statement carries the new session's id; the ended session stays ended."""
    lesson = learner["lessons"][1]
    context = context_for(teacher, learner)
    old = LearningSession.objects.get()
    LearningSession.objects.update(ended_at=timezone.now())
    with transaction.atomic():
        tracking.record_lesson_view(context=context, lesson=lesson)
    old.refresh_from_db()
    assert old.ended_at is not None
    new = LearningSession.objects.get(ended_at__isnull=True)
    assert len(outbox_statements("launched")) == 2
    key = str(lesson.translation_key)
    [experienced] = [s for s in outbox_statements("experienced") if s["object"]["id"].endswith(key)]
    assert experienced["context"]["extensions"][v.EXT_SESSION_ID] == str(new.session_id)
    assert ActivityProgress.objects.filter(activity_key=lesson.translation_key).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_write_leaves_nothing_behind(client, build_course, teacher, monkeypatch):
    """Edge case, forced: the statement's id is already in the outbox, so its INSERT fails. Outside a test's
    transaction, as in production: the session, the progress and the enrolment are as they were, the four writes
    are one (statement or transaction)."""
    learner = enrolled_and_started(client, build_course(n_modules=1, n_lessons=3, translate=False), teacher)
    lesson = learner["lessons"][1]
    context = context_for(teacher, learner)
    taken = json.loads(bytes(OutboxStatement.objects.order_by("pk").last().payload))["id"]
    real = tracking.statements.experienced
    monkeypatch.setattr(tracking.statements, "experienced", lambda *a, **kw: {**real(*a, **kw), "id": taken})
    session_before = LearningSession.objects.get().last_activity_at
    enrolment_before = Enrolment.objects.values_list("last_activity_key", "last_activity_at").get()
    outbox_before = OutboxStatement.objects.count()
    with pytest.raises(IntegrityError):
        tracking.record_lesson_view(context=context, lesson=lesson)
    assert LearningSession.objects.get().last_activity_at == session_before
    assert Enrolment.objects.values_list("last_activity_key", "last_activity_at").get() == enrolment_before
    assert not ActivityProgress.objects.filter(activity_key=lesson.translation_key).exists()
    assert OutboxStatement.objects.count() == outbox_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_production_the_view_is_its_own_transaction(client, build_course, teacher):
    """Outside a test's transaction, as in production: on PostgreSQL the tracking is one statement with no BEGIN or
    COMMIT around it (autocommit); on SQLite one transaction. Either way, the writes are there for another
    connection to see once the page is served."""
    world = enrolled_and_started(client, build_course(n_modules=1, n_lessons=2, translate=False), teacher)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(world["lessons"][1].url).status_code == 200
    sent = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert len(tracking_writes(captured)) == 1 and not any(s in ("BEGIN", "COMMIT") for s in sent), sent
    connection.close()  # a new connection: what another process would read
    assert Enrolment.objects.get().last_activity_key == world["lessons"][1].translation_key
    assert ActivityProgress.objects.filter(activity_key=world["lessons"][1].translation_key).exists()
    assert len(outbox_statements("experienced")) == 2
