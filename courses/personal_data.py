"""courses' personal data: enrolments, progress on each activity, learning sessions."""

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.personal_data import ErasureStep, PersonalData, Titles, human_date, register

from .models import ActivityProgress, Enrolment


def estimate(user) -> int:
    return ActivityProgress.objects.filter(enrolment__user=user).count() * 4  # ~ statements per activity


def readable_enrolments(user, *, language: str):
    """The courses and, in each, the activities with their dates and best score."""
    enrolments = list(Enrolment.objects.filter(user=user).order_by("enrolled_at"))
    progress = list(ActivityProgress.objects.filter(enrolment__user=user).order_by("first_seen_at"))
    keys = {e.course_key for e in enrolments} | {p.activity_key for p in progress}

    def build(titles: Titles) -> list[dict]:
        untitled = _("(an activity no longer published)")
        by_enrolment: dict[int, list] = {}
        for p in progress:
            by_enrolment.setdefault(p.enrolment_id, []).append(p)
        kinds = dict(ActivityProgress.Kind.choices)
        return [
            {
                "course": titles.get(str(e.course_key), untitled),
                "enrolled": human_date(e.enrolled_at),
                "completed": human_date(e.completed_at) if e.completed_at else _("not yet"),
                "activities": [
                    {
                        "title": titles.get(str(p.activity_key), untitled),
                        "kind": kinds.get(p.kind, p.kind),
                        "first_seen": human_date(p.first_seen_at),
                        "completed": human_date(p.completed_at) if p.completed_at else _("not yet"),
                        "score": None if p.score is None else round(p.score * 100),
                    }
                    for p in by_enrolment.get(e.pk, [])
                ],
            }
            for e in enrolments
        ]

    return keys, build


def erase(user) -> dict[str, int]:
    """Each enrolment's registration is the statements' context.registration: the shell gets fresh random ones, so
    the LRS history (which keeps the old ones) can no longer be tied to it."""
    enrolments = list(Enrolment.objects.filter(user=user).only("pk"))
    for enrolment in enrolments:
        enrolment.registration = uuid.uuid4()
    Enrolment.objects.bulk_update(enrolments, ["registration"])
    return {"courses.Enrolment (xAPI registration replaced)": len(enrolments)}


register(
    PersonalData(
        app_label="courses",
        tables=("courses.Enrolment", "courses.ActivityProgress", "courses.LearningSession"),
        titles={"courses.LearningSession": gettext_lazy("Learning sessions")},
        estimate=estimate,
        readable={"enrolments": readable_enrolments},
        erasure=[ErasureStep(20, erase)],
    )
)
