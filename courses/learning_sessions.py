"""Learning sessions: opened on a learner's first activity, extended by each one, ended on log-out or after 30 idle
minutes (xAPI `launched` and `terminated`; each statement of the session carries its id)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xapi.outbox import enqueue

from . import statements
from .context import LearningContext
from .models import CoursePage, Enrolment, LearningSession

SESSION_TIMEOUT = dt.timedelta(minutes=getattr(settings, "LEARNING_SESSION_TIMEOUT_MINUTES", 30))


def _end_session(session: LearningSession, *, ctx: LearningContext | None, at: dt.datetime) -> list[dict]:
    """End the session; `terminated` when its course is known (`ctx`: the session's learner, enrolment, course)."""
    session.ended_at = at
    session.save(update_fields=["ended_at"])
    if ctx is None:
        return []
    return [statements.terminated(ctx.in_session(session), ended_at=at)]


@transaction.atomic(savepoint=False)  # (inside a caller's transaction: no savepoint, one round trip less each way)
def open_session(*, context: LearningContext, now: dt.datetime | None = None) -> LearningContext:
    """The learner's context in their open session for this course, extended; a new session (with `launched`)
    after 30 idle minutes."""
    ctx = context
    now = now or timezone.now()
    session = (
        LearningSession.objects.select_for_update()
        .filter(user=ctx.user, enrolment=ctx.enrolment, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    pending: list[dict] = []
    if session is not None and now - session.last_activity_at > SESSION_TIMEOUT:
        pending += _end_session(session, ctx=ctx, at=session.last_activity_at)
        session = None
    if session is None:
        session = LearningSession.objects.create(
            user=ctx.user, enrolment=ctx.enrolment, started_at=now, last_activity_at=now
        )
        pending.append(statements.launched(ctx.in_session(session), when=now))
    else:
        session.last_activity_at = now
        session.save(update_fields=["last_activity_at"])
    if pending:
        enqueue(pending)
    return ctx.in_session(session)


@transaction.atomic
def end_sessions(*, user=None, idle_before: dt.datetime | None = None) -> int:
    """End a user's open sessions (log-out), or every session idle since `idle_before` (cron)."""
    sessions = (
        LearningSession.objects.select_for_update().filter(ended_at__isnull=True).select_related("enrolment", "user")
    )
    if user is not None:
        sessions = sessions.filter(user=user)
    if idle_before is not None:
        sessions = sessions.filter(last_activity_at__lt=idle_before)
    sessions = list(sessions)
    if not sessions:
        return 0
    courses = {
        c.translation_key: c
        for c in CoursePage.objects.filter(translation_key__in={s.enrolment.course_key for s in sessions})
        .select_related("locale")
        .order_by("-locale__language_code")  # fr after en: French wins below when both exist
    }
    now = timezone.now()
    pending = []
    for session in sessions:
        at = now if idle_before is None else session.last_activity_at
        course = courses.get(session.enrolment.course_key)
        ctx = LearningContext(user=session.user, enrolment=session.enrolment, course=course) if course else None
        pending += _end_session(session, ctx=ctx, at=at)
    if pending:
        enqueue(pending)
    return len(sessions)


def session_read_open(*, user, enrolment: Enrolment, now: dt.datetime) -> LearningSession | None:
    """The open session read with the enrolment (`enrolments.enrolment_for`), as it will be once extended to `now`,
    when it was open and not idle for 30 minutes at the read; None otherwise (then `open_session` decides, locked).
    Nothing is written: the caller extends it (`extend_open_session`, or `courses.tracking` in its one statement)."""
    pk, last = getattr(enrolment, "open_session_pk", None), getattr(enrolment, "open_session_last", None)
    if pk is None or last is None or now - last > SESSION_TIMEOUT:
        return None
    return LearningSession(
        pk=pk, user=user, enrolment=enrolment, session_id=enrolment.open_session_uuid, last_activity_at=now
    )


def extend_open_session(*, user, enrolment: Enrolment, now: dt.datetime) -> LearningSession | None:
    """The open session read with the enrolment, extended by one UPDATE that holds only while it is still open and
    not idle for 30 minutes; None otherwise (then `open_session` decides, locked)."""
    session = session_read_open(user=user, enrolment=enrolment, now=now)
    if session is None:
        return None
    extended = LearningSession.objects.filter(
        pk=session.pk, ended_at__isnull=True, last_activity_at__gte=now - SESSION_TIMEOUT
    ).update(last_activity_at=now)
    return session if extended else None
