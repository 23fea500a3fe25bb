"""The tracking of a lesson view: the learning session extended, the lesson's progress row, the enrolment's last
activity and the `experienced` statement in the outbox, written together or not at all.

On PostgreSQL, when the learning session read with the enrolment (`enrolments.enrolment_for`) is still open, as it is
on nearly every view, the four writes are **one SQL statement** of data-modifying common table expressions, sent in
autocommit: one round trip and one commit, no `BEGIN` (docs/performance.md, "Fourth pass"). Each write after the
session's depends on the session's `UPDATE` having found the session still open; when it did not (ended or idle
meanwhile), the statement writes nothing and the locked path below runs. That path is also SQLite's, which has no
data-modifying common table expressions: one transaction of ORM writes, the session read locked when it must be
opened again (`learning_sessions.open_session`).
"""

import datetime as dt

from django.db import connections, router, transaction
from django.utils import timezone

from lms import sql
from xapi import outbox
from xapi.outbox import enqueue

from . import statements
from .context import LearningContext
from .learning_sessions import SESSION_TIMEOUT, extend_open_session, open_session, session_read_open
from .models import ActivityProgress, Enrolment, LessonPage

_VIEW_SQL = """
WITH s AS (
  UPDATE courses_learningsession SET last_activity_at = %s
  WHERE id = %s AND ended_at IS NULL AND last_activity_at >= %s
  RETURNING id
), p AS ({progress}), e AS (
  UPDATE courses_enrolment SET last_activity_key = %s, last_activity_at = %s
  WHERE id = %s AND EXISTS (SELECT 1 FROM s)
), o AS ({outbox})
SELECT count(*) FROM s
"""


def record_lesson_view(*, context: LearningContext, lesson: LessonPage, competencies: list | None = None) -> None:
    """An enrolled learner sees a lesson: remember it for "continue", and send `experienced`.

    `context`: the learner's, without its session; `competencies`: the lesson's, when the caller has read them.
    """
    now = timezone.now()
    competencies = list(lesson.competencies.all()) if competencies is None else competencies
    connection = connections[router.db_for_write(Enrolment)]
    if connection.vendor == "postgresql" and _in_one_statement(connection, context, lesson, competencies, now):
        return
    _in_one_transaction(context, lesson, competencies, now)


def _progress_row(context: LearningContext, lesson: LessonPage) -> ActivityProgress:
    return ActivityProgress(
        enrolment=context.enrolment, activity_key=lesson.translation_key, kind=ActivityProgress.Kind.LESSON
    )


def _in_one_statement(connection, context: LearningContext, lesson: LessonPage, competencies, now: dt.datetime) -> bool:
    """The four writes in one statement; False (nothing written) when the session read open is open no more."""
    session = session_read_open(user=context.user, enrolment=context.enrolment, now=now)
    if session is None:
        return False
    statement = statements.experienced(context.in_session(session), lesson=lesson, competencies=competencies, when=now)
    progress, progress_params = sql.insert_select(
        _progress_row(context, lesson), source="s", connection=connection, ignore_conflicts=True
    )
    into_outbox, outbox_params = outbox.insert_select(statement, source="s", connection=connection)
    params = [
        *(now, session.pk, now - SESSION_TIMEOUT),
        *progress_params,
        *(lesson.translation_key, now, context.enrolment.pk),
        *outbox_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_VIEW_SQL.format(progress=progress, outbox=into_outbox), params)
        (extended,) = cursor.fetchone()
    return extended == 1


@transaction.atomic
def _in_one_transaction(context: LearningContext, lesson: LessonPage, competencies, now: dt.datetime) -> None:
    session = extend_open_session(user=context.user, enrolment=context.enrolment, now=now)
    context = context.in_session(session) if session is not None else open_session(context=context, now=now)
    ActivityProgress.objects.bulk_create([_progress_row(context, lesson)], ignore_conflicts=True)
    Enrolment.objects.filter(pk=context.enrolment.pk).update(
        last_activity_key=lesson.translation_key, last_activity_at=now
    )
    enqueue(statements.experienced(context, lesson=lesson, competencies=competencies, when=now))
