"""Reads for training sessions: who may see which session, the trainer's view of a group, a learner's sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from assessments.models import Attempt, AttemptState, QuizPage
from competencies.models import Evidence
from competencies.selectors import SECURED, assess
from courses.models import ActivityProgress, CoursePage, Enrolment
from courses.selectors import Structure, course_structure
from lms import smallnumbers

from .models import Attendance, InPersonDate, Membership, Reminder, TrainingSession

STATUS_LABELS = {
    "not_started": pgettext_lazy("participant status", "not started"),
    "in_progress": pgettext_lazy("participant status", "in progress"),
    "stuck": pgettext_lazy("participant status", "stuck"),
    "completed": pgettext_lazy("participant status", "completed"),
}


def stuck_after_days() -> int:
    return int(getattr(settings, "COHORTS_STUCK_AFTER_DAYS", 14))


def managed_sessions(user) -> QuerySet[TrainingSession]:
    """Sessions a person manages: a national administrator every one; a coordinator their académie's."""
    sessions = TrainingSession.objects.all()
    if not user or not user.is_authenticated or not user.is_active:
        return sessions.none()
    if user.is_superuser or user.has_perm("lms.view_national_reports"):
        return sessions
    if user.has_perm("cohorts.change_trainingsession") and user.academie_id:
        return sessions.filter(academie_id=user.academie_id)
    return sessions.none()


def followed_sessions(user) -> QuerySet[TrainingSession]:
    """Sessions whose group a person may follow (names visible): the trainers named on it, and its managers."""
    if not user or not user.is_authenticated or not user.is_active:
        return TrainingSession.objects.none()
    managed = managed_sessions(user).values("pk")
    return TrainingSession.objects.filter(Q(trainers=user) | Q(pk__in=managed)).distinct()


def not_started(session: TrainingSession) -> QuerySet[Membership]:
    """Participants with no activity at all in the session's course."""
    return session.memberships.filter(
        enrolment__last_activity_at__isnull=True, enrolment__completed_at__isnull=True
    ).exclude(enrolment__activities__isnull=False)


def course_in(session: TrainingSession, language: str) -> CoursePage:
    """The session's course in `language` when published in it, else the page the session names."""
    page = (
        CoursePage.objects.live()
        .filter(translation_key=session.course.translation_key, locale__language_code=language)
        .first()
    )
    return page or session.course


@dataclass
class ParticipantRow:
    membership: Membership
    status: str
    module_done: dict[uuid.UUID, tuple[int, int]]  # module key → (required activities done, required)
    quiz_scores: dict[uuid.UUID, float | None]  # quiz key → best scaled score
    quiz_exhausted: list[uuid.UUID]
    percent: int
    last_activity_at: dt.datetime | None
    last_reminder_at: dt.datetime | None
    competencies: dict[int, str] = field(default_factory=dict)  # item pk → state
    attendance: dict[int, bool] = field(default_factory=dict)  # in-person date pk → present

    @property
    def user(self):
        return self.membership.user

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class GroupView:
    session: TrainingSession
    course: CoursePage
    structure: Structure
    rows: list[ParticipantRow]
    quizzes: list
    items: list
    dates: list[InPersonDate]
    counts: dict[str, int]
    academie_enrolled: smallnumbers.Figure
    academie_completed: smallnumbers.Figure
    academie_rate: smallnumbers.Figure

    def filtered(self, status: str) -> list[ParticipantRow]:
        return [r for r in self.rows if not status or r.status == status]


def group_view(*, session: TrainingSession, language: str, now: dt.datetime | None = None) -> GroupView:
    """Everything the trainer's page shows, in a constant number of queries whatever the group's size."""
    now = now or timezone.now()
    course = course_in(session, language)
    structure = course_structure(course)
    memberships = list(
        session.memberships.select_related("user", "user__establishment", "enrolment").order_by(
            "user__last_name", "user__email"
        )
    )
    enrolment_ids = [m.enrolment_id for m in memberships]
    user_ids = [m.user_id for m in memberships]
    done: dict[int, set[uuid.UUID]] = defaultdict(set)
    scores: dict[int, dict[uuid.UUID, float | None]] = defaultdict(dict)
    started: set[int] = set()
    for p in ActivityProgress.objects.filter(enrolment_id__in=enrolment_ids).only(
        "enrolment_id", "activity_key", "completed_at", "score"
    ):
        started.add(p.enrolment_id)
        if p.completed_at:
            done[p.enrolment_id].add(p.activity_key)
        if p.score is not None:
            scores[p.enrolment_id][p.activity_key] = p.score
    quizzes = [a for a in structure.activities if a.kind == "quiz"]
    quiz_keys = [a.key for a in quizzes]
    limits = {
        q.translation_key: q.max_attempts
        for q in QuizPage.objects.filter(translation_key__in=quiz_keys, max_attempts__isnull=False).only(
            "translation_key", "max_attempts"
        )
    }
    exhausted: dict[int, list[uuid.UUID]] = defaultdict(list)
    if limits:
        attempts = (
            Attempt.objects.filter(user_id__in=user_ids, quiz_key__in=list(limits), state=AttemptState.SUBMITTED)
            .values("user_id", "quiz_key")
            .annotate(n=Count("pk"), passed_n=Count("pk", filter=Q(passed=True)))
        )
        for a in attempts:
            if not a["passed_n"] and a["n"] >= limits[a["quiz_key"]]:
                exhausted[a["user_id"]].append(a["quiz_key"])
    reminders = dict(
        Reminder.objects.filter(membership__in=memberships)
        .values("membership_id")
        .annotate(last=Max("sent_at"))
        .values_list("membership_id", "last")
    )
    items = list(course.competencies.order_by("path"))
    evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(user_id__in=user_ids, item__in=items).order_by("occurred_at", "pk"):
        evidence[(e.user_id, e.item_id)].append(e)
    dates = list(session.in_person_dates.all())
    attendance: dict[int, dict[int, bool]] = defaultdict(dict)
    for a in Attendance.objects.filter(membership__in=memberships).values(
        "membership_id", "in_person_date_id", "present"
    ):
        attendance[a["membership_id"]][a["in_person_date_id"]] = a["present"]
    stale = now - dt.timedelta(days=stuck_after_days())
    required_total = sum(len(m.required) for m in structure.modules) or 1
    rows = []
    for m in memberships:
        enrolment: Enrolment = m.enrolment
        keys = done[enrolment.pk]
        module_done = {
            mod.key: (sum(1 for a in mod.required if a.key in keys), len(mod.required)) for mod in structure.modules
        }
        percent = (
            100 if enrolment.completed_at else round(100 * sum(d for d, _t in module_done.values()) / required_total)
        )
        if enrolment.completed_at:
            status = "completed"
        elif enrolment.pk not in started and enrolment.last_activity_at is None:
            status = "not_started"
        elif exhausted.get(m.user_id) or (enrolment.last_activity_at or enrolment.enrolled_at) < stale:
            status = "stuck"
        else:
            status = "in_progress"
        rows.append(
            ParticipantRow(
                membership=m,
                status=status,
                module_done=module_done,
                quiz_scores={q.key: scores[enrolment.pk].get(q.key) for q in quizzes},
                quiz_exhausted=exhausted.get(m.user_id, []),
                percent=percent,
                last_activity_at=enrolment.last_activity_at,
                last_reminder_at=reminders.get(m.pk),
                competencies={item.pk: assess(evidence[(m.user_id, item.pk)]).state for item in items},
                attendance=attendance.get(m.pk, {}),
            )
        )
    counts = {key: sum(1 for r in rows if r.status == key) for key in STATUS_LABELS}
    # Beyond the group, the small-number rule: every learner of this course in the académie.
    in_academie = Enrolment.objects.filter(course_key=course.translation_key, academie_id=session.academie_id)
    figures = in_academie.aggregate(n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
    return GroupView(
        session=session,
        course=course,
        structure=structure,
        rows=rows,
        quizzes=quizzes,
        items=items,
        dates=dates,
        counts=counts,
        academie_enrolled=smallnumbers.count(figures["n"]),
        academie_completed=smallnumbers.part_of(figures["done"], figures["n"]),
        academie_rate=smallnumbers.rate(figures["done"], figures["n"]),
    )


def secured_count(view: GroupView, item_pk: int) -> int:
    return sum(1 for r in view.rows if r.competencies.get(item_pk) == SECURED)


def learner_sessions(
    *, user, course_key: uuid.UUID | None = None, with_followed: bool = False
) -> tuple[list[TrainingSession], bool]:
    """The sessions a learner takes part in (for the course page and My learning), with dates and trainers; and,
    with `with_followed`, whether they follow a session as a trainer, from the same query."""
    if not user or not user.is_authenticated:
        return [], False
    wanted = Q(memberships__user=user) | Q(trainers=user) if with_followed else Q(memberships__user=user)
    sessions = TrainingSession.objects.filter(wanted)
    if course_key is not None:
        sessions = sessions.filter(course__translation_key=course_key)
    sessions = sessions.annotate(
        is_member=Exists(Membership.objects.filter(session=OuterRef("pk"), user=user)),
        is_trainer=Exists(TrainingSession.trainers.through.objects.filter(trainingsession=OuterRef("pk"), user=user)),
    ).distinct()
    rows = list(sessions.prefetch_related("in_person_dates", "trainers").select_related("course").order_by("starts_on"))
    return [s for s in rows if s.is_member], any(s.is_trainer for s in rows)
