"""A demo population: several hundred learners in the three demo académies, their establishments, enrolments in
the demo course, lesson progress, quiz attempts with competency evidence and completions, spread over ten months.

Enough people that the managers' dashboard shows real figures and charts rather than "< 5". Deterministic (a
seeded random generator, fixed names and addresses) and fast: everything is written with ``bulk_create`` (about a
second on SQLite). The accounts have no usable password: nobody logs in as them. Reloading replaces them.
Development only, like the rest of the demo (``manage.py load_demo``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments.models import Attempt, AttemptState, QuizKind, QuizPage
from competencies.models import Evidence, EvidenceKind
from courses.models import ActivityProgress, CoursePage, Enrolment, LessonPage

from .demo import ACADEMY_DOMAINS
from .models import Academie, Establishment, User
from .roles import TEACHERS
from .uai import uai_check_letter

SEED = 2026
LEARNERS_PER_ACADEMIE = {"16": 180, "11": 130, "17": 150}  # Toulouse, Montpellier, Nantes: 460 in all
DAYS = 300  # enrolments spread over the last ten months
EMAIL_TAG = "demo"  # every generated address is <first>.<last>.<n>.demo@<académie domain>

# (académie code, 7-digit UAI number, name, kind, commune, postcode) — added beside lms.demo's establishments.
MORE_ESTABLISHMENTS = [
    ("16", "0311801", "Collège Jean Moulin (démo)", "Collège", "Muret", "31600"),
    ("16", "0321802", "Lycée d'Artagnan (démo)", "Lycée", "Auch", "32000"),
    ("16", "0651803", "Collège des Pyrénées (démo)", "Collège", "Tarbes", "65000"),
    ("16", "0811804", "École Jean Jaurès (démo)", "Ecole", "Albi", "81000"),
    ("11", "0301805", "Lycée Alphonse Daudet (démo)", "Lycée", "Nîmes", "30000"),
    ("11", "0341806", "Collège Frédéric Bazille (démo)", "Collège", "Montpellier", "34000"),
    ("11", "0661807", "École de la Têt (démo)", "Ecole", "Perpignan", "66000"),
    ("17", "0491808", "Lycée Joachim du Bellay (démo)", "Lycée", "Angers", "49000"),
    ("17", "0531809", "Collège de la Mayenne (démo)", "Collège", "Laval", "53000"),
    ("17", "0721810", "École des Jacobins (démo)", "Ecole", "Le Mans", "72000"),
]

FIRST_NAMES = [
    "Camille", "Louise", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Claire", "Anne", "Sophie", "Nadia",
    "Aïcha", "Élodie", "Laure", "Hélène", "Marie", "Yasmine", "Lucas", "Hugo", "Thomas", "Nicolas", "Julien",
    "Antoine", "Karim", "Mehdi", "Pierre", "Olivier", "Éric", "Bruno", "Samuel", "Théo", "Mathieu", "Yann",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Benali", "Nguyen",
    "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Mathieu", "Clément",
]  # fmt: skip


@dataclass
class Activity:
    key: uuid.UUID
    kind: str  # "lesson" or "quiz"
    pass_mark: float = 0.0
    questions: tuple = ()  # (question translation key, [competency item ids]) for a quiz


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


def demo_emails() -> list[str]:
    """The generated addresses, in creation order (the same on every run)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    emails = []
    for code, count in LEARNERS_PER_ACADEMIE.items():
        for n in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            emails.append(
                (code, first, last, f"{_ascii(first)}.{_ascii(last)}.{n + 1}.{EMAIL_TAG}@{ACADEMY_DOMAINS[code]}")
            )
    return emails


def _course_activities(course: CoursePage) -> list[Activity]:
    """The course's required lessons and module quizzes, in the order a learner meets them (French tree)."""
    activities = []
    lessons = LessonPage.objects.live().descendant_of(course).filter(required_for_completion=True)
    quizzes = (
        QuizPage.objects.live()
        .descendant_of(course)
        .filter(kind=QuizKind.MODULE)
        .prefetch_related("quiz_questions__question__competencies")
    )
    pages = sorted([*lessons, *quizzes], key=lambda p: p.path)
    for page in pages:
        if isinstance(page, QuizPage):
            questions = tuple(
                (qq.question.translation_key, [c.pk for c in qq.question.competencies.all()])
                for qq in page.quiz_questions.all()
            )
            activities.append(Activity(page.translation_key, "quiz", (page.pass_mark_percent or 0) / 100, questions))
        else:
            activities.append(Activity(page.translation_key, "lesson"))
    return activities


def _establishments() -> dict[str, list[Establishment]]:
    academies = {a.code: a for a in Academie.objects.filter(code__in=LEARNERS_PER_ACADEMIE)}
    for code, number, name, kind, commune, postcode in MORE_ESTABLISHMENTS:
        Establishment.objects.update_or_create(
            uai=number + uai_check_letter(number),
            defaults={
                "name": name,
                "academie": academies[code],
                "kind": kind,
                "sector": "Public",
                "commune": commune,
                "postcode": postcode,
            },
        )
    by_academie: dict[str, list[Establishment]] = {code: [] for code in academies}
    for est in Establishment.objects.filter(academie__code__in=academies, name__endswith="(démo)").order_by("uai"):
        by_academie[est.academie.code].append(est)
    return by_academie


class _NoAutoNow:
    """bulk_create calls pre_save, which would stamp auto_now_add fields with the present: keep the demo's dates."""

    def __init__(self, *fields):
        self.fields = fields

    def __enter__(self):
        for f in self.fields:
            f.auto_now_add = False

    def __exit__(self, *exc):
        for f in self.fields:
            f.auto_now_add = True


@transaction.atomic
def load(*, now: dt.datetime | None = None) -> int:
    """(Re)create the demo population; returns the number of learners."""
    course = (
        CoursePage.objects.filter(locale__language_code="fr", copied_from_key__isnull=True).order_by("path").first()
    )
    if course is None:
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    people = demo_emails()
    User.objects.filter(email__in=[p[3] for p in people]).delete()
    establishments = _establishments()
    academies = {a.code: a for a in Academie.objects.filter(code__in=LEARNERS_PER_ACADEMIE)}
    activities = _course_activities(course)
    password = make_password(None)  # unusable: nobody logs in as a generated learner

    users = []
    for code, first, last, email in people:
        users.append(
            User(
                email=email,
                first_name=first,
                last_name=last,
                password=password,
                academie=academies[code],
                academie_source=User.AcademieSource.EMAIL,
                establishment=rng.choice(establishments[code]),
                email_confirmed_at=now - dt.timedelta(days=DAYS + 5),
                date_joined=now - dt.timedelta(days=DAYS + 5),
            )
        )
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__in=[p[3] for p in people]).order_by("pk"))
    teachers = Group.objects.get(name=TEACHERS)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=teachers.pk) for u in users])

    enrolments, plans = [], []
    for user in users:
        # Enrolments grow over the months (more recent than old), as a training campaign spreads.
        days_ago = int(DAYS * (1 - rng.random() ** 0.7))
        enrolled = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        roll = rng.random()
        if roll < 0.45:
            done = len(activities)
        elif roll < 0.85:
            done = rng.randint(1, max(1, len(activities) - 1))
        else:
            done = 0
        span = dt.timedelta(days=rng.randint(5, 70))
        finish = min(enrolled + span, now - dt.timedelta(hours=1))
        if finish <= enrolled:
            done = 0
        times = sorted(enrolled + (finish - enrolled) * rng.random() for _ in range(done))
        completed = times[-1] if done == len(activities) and activities else None
        enrolments.append(
            Enrolment(
                user=user,
                course_key=course.translation_key,
                academie_id=user.academie_id,
                establishment_id=user.establishment_id,
                enrolled_at=enrolled,
                completed_at=completed,
                last_activity_key=activities[done - 1].key if done else None,
                last_activity_at=times[-1] if done else None,
            )
        )
        plans.append(times)
    with _NoAutoNow(Enrolment._meta.get_field("enrolled_at")):
        Enrolment.objects.bulk_create(enrolments)
    enrolments = {e.user_id: e for e in Enrolment.objects.filter(user__in=users, course_key=course.translation_key)}

    progress, attempts, evidence = [], [], []
    for user, times in zip(users, plans, strict=True):
        enrolment = enrolments[user.pk]
        for activity, at in zip(activities, times, strict=False):
            score = None
            if activity.kind == "quiz":
                score = _quiz(rng, user, enrolment, activity, at, attempts, evidence)
            progress.append(
                ActivityProgress(
                    enrolment=enrolment,
                    activity_key=activity.key,
                    kind=activity.kind,
                    first_seen_at=at - dt.timedelta(minutes=rng.randint(5, 40)),
                    completed_at=at,
                    score=score,
                )
            )
    with _NoAutoNow(ActivityProgress._meta.get_field("first_seen_at")):
        ActivityProgress.objects.bulk_create(progress, batch_size=2000)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    return len(users)


def _quiz(rng, user, enrolment, activity: Activity, at, attempts: list, evidence: list) -> float:
    """One or two submitted attempts (the last one passed), with evidence per question; returns the best score."""
    n_attempts = 2 if rng.random() < 0.25 else 1
    best = 0.0
    for number in range(1, n_attempts + 1):
        passing = number == n_attempts
        low, high = (activity.pass_mark, 1.0) if passing else (0.3, max(0.3, activity.pass_mark - 0.05))
        answered = max(1, len(activity.questions))
        raw = max(0, min(answered, round(answered * rng.uniform(low, high))))
        if passing and raw / answered < activity.pass_mark:
            raw = answered
        started = at - dt.timedelta(minutes=15 * (n_attempts - number + 1))
        attempt = Attempt(
            id=uuid.UUID(int=rng.getrandbits(128)),
            user=user,
            quiz_key=activity.key,
            number=number,
            enrolment=enrolment,
            state=AttemptState.SUBMITTED,
            started_at=started,
            submitted_at=started + dt.timedelta(minutes=12),
            score_raw=raw,
            score_max=answered,
            score_scaled=raw / answered,
            passed=passing,
        )
        attempts.append(attempt)
        best = max(best, raw / answered)
        correct_slots = set(rng.sample(range(len(activity.questions)), raw)) if activity.questions else set()
        for slot, (question_key, items) in enumerate(activity.questions):
            for item_id in items:
                evidence.append(
                    Evidence(
                        user=user,
                        item_id=item_id,
                        source_key=str(activity.key),
                        attempt_key=str(attempt.id),
                        question_key=str(question_key),
                        kind=EvidenceKind.ANSWER,
                        correct=slot in correct_slots,
                        score=1.0 if slot in correct_slots else 0.0,
                        occurred_at=attempt.submitted_at,
                    )
                )
    return best
