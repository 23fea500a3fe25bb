"""A demo training session in Toulouse: the demo trainer, the demo teacher and five pre-created participants."""

import datetime as dt

from django.utils import timezone

from courses.models import CoursePage
from lms.models import Academie, Establishment, User

from .models import InPersonDate, TrainingSession
from .services import enrol_participants

PARTICIPANTS = [
    ("Enseignant", "Camille", "enseignant.demo"),
    ("Arnaud", "Inès", "ines.arnaud.demo"),
    ("Baron", "Hugo", "hugo.baron.demo"),
    ("Castel", "Léa", "lea.castel.demo"),
    ("Delmas", "Nathan", "nathan.delmas.demo"),
    ("Espinasse", "Jade", "jade.espinasse.demo"),
]


def load() -> int:
    course = (
        CoursePage.objects.filter(locale__language_code="fr", copied_from_key__isnull=True).order_by("path").first()
    )
    toulouse = Academie.objects.filter(code="16").first()
    establishment = Establishment.objects.filter(academie=toulouse, name__endswith="(démo)").order_by("uai").first()
    if course is None or toulouse is None or establishment is None:
        return 0
    today = timezone.localdate()
    session, _created = TrainingSession.objects.update_or_create(
        academie=toulouse,
        gaia_session="DEMO-1",
        defaults={
            "course": course,
            "title": "IA générative en classe — session de Toulouse (démo)",
            "gaia_dispositif": "26A0160001",
            "gaia_module": "54321",
            "starts_on": today - dt.timedelta(days=14),
            "ends_on": today + dt.timedelta(days=42),
            "format": TrainingSession.Format.HYBRID,
        },
    )
    session.trainers.set(User.objects.filter(email="formation.demo@ac-toulouse.fr"))
    session.in_person_dates.all().delete()
    InPersonDate.objects.create(
        session=session,
        day=today + dt.timedelta(days=7),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(12, 0),
        place="Canopé Toulouse, 3 rue Roquelaine, salle 2 (démo)",
    )
    lines = [f"{login}@ac-toulouse.fr;{last};{first};{establishment.uai}" for last, first, login in PARTICIPANTS]
    plan = enrol_participants(session=session, raw="\n".join(lines).encode(), invite=False)
    return len(plan.created) + len(plan.matched)
