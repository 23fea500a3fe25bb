"""Writes of the learner's journey. Each writes its xAPI statements to the outbox in the same transaction."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from competencies.models import EvidenceKind
from competencies.services import EvidenceInput, record_evidence_bulk
from xapi import vocabulary as v
from xapi.outbox import enqueue

from . import statements
from .models import ActivityProgress, CoursePage, Enrolment, LearningSession, LessonPage
from .selectors import course_and_module, course_structure

SESSION_TIMEOUT = dt.timedelta(minutes=getattr(settings, "LEARNING_SESSION_TIMEOUT_MINUTES", 30))


def _end_session(session: LearningSession, *, course: CoursePage | None, at: dt.datetime) -> list[dict]:
    session.ended_at = at
    session.save(update_fields=["ended_at"])
    if course is None:
        return []
    return [
        statements.terminated(
            user=session.user, enrolment=session.enrolment, course=course, session=session, ended_at=at
        )
    ]


@transaction.atomic
def current_session(
    *, user, enrolment: Enrolment, course: CoursePage, now: dt.datetime | None = None
) -> LearningSession:
    """The learner's open session for this course, extended; a new one (with `launched`) after 30 idle minutes."""
    now = now or timezone.now()
    session = (
        LearningSession.objects.select_for_update()
        .filter(user=user, enrolment=enrolment, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    pending: list[dict] = []
    if session is not None and now - session.last_activity_at > SESSION_TIMEOUT:
        pending += _end_session(session, course=course, at=session.last_activity_at)
        session = None
    if session is None:
        session = LearningSession.objects.create(user=user, enrolment=enrolment, started_at=now, last_activity_at=now)
        pending.append(statements.launched(user=user, enrolment=enrolment, course=course, session=session, when=now))
    else:
        session.last_activity_at = now
        session.save(update_fields=["last_activity_at"])
    if pending:
        enqueue(pending)
    return session


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
        pending += _end_session(session, course=courses.get(session.enrolment.course_key), at=at)
    if pending:
        enqueue(pending)
    return len(sessions)


@transaction.atomic
def enrol(*, user, course: CoursePage) -> Enrolment:
    """Enrol once (a double click enrols once); the organisation is recorded as it is today."""
    enrolment, created = Enrolment.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        defaults={"academie_id": user.academie_id, "establishment_id": user.establishment_id},
    )
    if created:
        current_session(user=user, enrolment=enrolment, course=course)
    return enrolment


@transaction.atomic
def record_lesson_view(*, user, lesson: LessonPage, enrolment: Enrolment, course, module) -> None:
    """An enrolled learner sees a lesson: remember it for "continue", and send `experienced`."""
    now = timezone.now()
    session = current_session(user=user, enrolment=enrolment, course=course, now=now)
    ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity_key=lesson.translation_key, defaults={"kind": ActivityProgress.Kind.LESSON}
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_key=lesson.translation_key, last_activity_at=now)
    enqueue(
        statements.experienced(
            user=user,
            enrolment=enrolment,
            lesson=lesson,
            module=module,
            course=course,
            session=session,
            competencies=list(lesson.competencies.all()),
            when=now,
        )
    )


@dataclass
class CompletionResult:
    enrolment: Enrolment
    newly_completed: bool
    module_completed: bool = False
    course_completed: bool = False
    statements: list[dict] = field(default_factory=list)


@transaction.atomic
def complete_activity(*, user, page: Page, score: float | None = None) -> CompletionResult:
    """Mark a lesson or quiz done for the learner (keyed on its translation_key), then its module and course.

    Idempotent: completing twice changes nothing but keeps the best score. A module or course, once completed,
    stays completed even if lessons are added later.
    """
    page = page.specific
    course, module = course_and_module(page)
    if course is None or module is None:
        raise ValueError("Only lessons and quizzes inside a course module can be completed.")
    enrolment = enrol(user=user, course=course)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    now = timezone.now()
    kind = ActivityProgress.Kind.LESSON if isinstance(page, LessonPage) else ActivityProgress.Kind.QUIZ
    progress, _ = ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity_key=page.translation_key, defaults={"kind": kind}
    )
    if score is not None and (progress.score is None or score > progress.score):
        progress.score = score
    result = CompletionResult(enrolment=enrolment, newly_completed=progress.completed_at is None)
    if progress.completed_at is None:
        progress.completed_at = now
    progress.save()
    enrolment.last_activity_key = page.translation_key
    enrolment.last_activity_at = now
    if not result.newly_completed:
        enrolment.save(update_fields=["last_activity_key", "last_activity_at"])
        return result

    if isinstance(page, LessonPage):
        record_evidence_bulk(
            user=user,
            entries=[
                EvidenceInput(
                    item=pk, source_key=str(page.translation_key), kind=EvidenceKind.ACTIVITY, occurred_at=now
                )
                for pk in page.competencies.values_list("pk", flat=True)
            ],
        )
    session = current_session(user=user, enrolment=enrolment, course=course, now=now)
    structure = course_structure(course)
    done = set(
        ActivityProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "activity_key", flat=True
        )
    )
    pending: list[dict] = []
    info = structure.module_of(module.translation_key)
    required = info.required if info else []
    module_percent = 100 if not required else int(100 * sum(a.key in done for a in required) / len(required))
    module_row, _ = ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity_key=module.translation_key, defaults={"kind": ActivityProgress.Kind.MODULE}
    )
    common = {"user": user, "enrolment": enrolment, "course": course, "session": session, "when": now}
    if module_row.completed_at is None:
        pending.append(statements.progressed(target=module, target_type=v.MODULE, percent=module_percent, **common))
        if module_percent == 100:
            module_row.completed_at = now
            module_row.save(update_fields=["completed_at"])
            seconds = (now - module_row.first_seen_at).total_seconds()
            pending.append(statements.completed(target=module, target_type=v.MODULE, seconds=seconds, **common))
            result.module_completed = True
    if enrolment.completed_at is None:
        all_required = [a for m in structure.modules for a in m.required]
        percent = 100 if not all_required else int(100 * sum(a.key in done for a in all_required) / len(all_required))
        pending.append(statements.progressed(target=course, target_type=v.COURSE, percent=percent, **common))
        if percent == 100:
            enrolment.completed_at = now
            seconds = (now - enrolment.enrolled_at).total_seconds()
            pending.append(statements.completed(target=course, target_type=v.COURSE, seconds=seconds, **common))
            result.course_completed = True
    enrolment.save(update_fields=["last_activity_key", "last_activity_at", "completed_at"])
    enqueue(pending)
    result.statements = pending
    return result
