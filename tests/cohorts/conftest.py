"""A Toulouse training session on a two-module course, with a trainer, a coordinator and establishments."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from tests.built_once import per_test
from tests.conftest import all_academies, create_user
from tests.courses.conftest import build_course_world

PASSWORD = "mot-de-passe-formation-2026"


def uai(number: str) -> str:
    from lms.uai import uai_check_letter

    return number + uai_check_letter(number)


@dataclass
class SessionWorld:
    course: object
    session: object
    other_session: object
    trainer: object
    other_trainer: object
    coordinator: object
    coordinator_nantes: object
    etabs: dict = field(default_factory=dict)
    built: dict = field(default_factory=dict)


def build_sessions() -> SessionWorld:
    from cohorts.models import InPersonDate, TrainingSession
    from lms.models import Establishment
    from lms.roles import COORDINATORS, TRAINERS

    academies = all_academies()
    toulouse, nantes = academies["Toulouse"], academies["Nantes"]
    built = build_course_world(2, 2, translate=False)
    course = built["course"]
    etabs = {
        "t1": Establishment.objects.create(uai=uai("0319001"), name="Collège Jean Jaurès", academie=toulouse),
        "t2": Establishment.objects.create(uai=uai("0319002"), name="Lycée Pierre de Fermat", academie=toulouse),
        "n1": Establishment.objects.create(uai=uai("0449001"), name="Lycée Clemenceau", academie=nantes),
    }
    trainer = create_user(
        "formatrice@ac-toulouse.fr", PASSWORD, TRAINERS, academie=toulouse, first_name="Claire", last_name="Formatrice"
    )
    other_trainer = create_user(
        "formateur@ac-nantes.fr", PASSWORD, TRAINERS, academie=nantes, first_name="Yann", last_name="Nantais"
    )
    coordinator = create_user("coord@ac-toulouse.fr", PASSWORD, COORDINATORS, academie=toulouse, is_staff=False)
    coordinator_nantes = create_user("coord@ac-nantes.fr", PASSWORD, COORDINATORS, academie=nantes)
    session = TrainingSession.objects.create(
        academie=toulouse,
        course=course,
        title="IA en classe — Toulouse 2026",
        gaia_dispositif="26A0160001",
        gaia_module="12345",
        gaia_session="1",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 12, 18),
        format=TrainingSession.Format.HYBRID,
    )
    session.trainers.add(trainer)
    InPersonDate.objects.create(session=session, day=dt.date(2026, 11, 2), place="Canopé Toulouse, salle 2")
    other_session = TrainingSession.objects.create(
        academie=nantes,
        course=course,
        title="IA en classe — Nantes 2026",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 12, 18),
    )
    other_session.trainers.add(other_trainer)
    return SessionWorld(
        course=course,
        session=session,
        other_session=other_session,
        trainer=trainer,
        other_trainer=other_trainer,
        coordinator=coordinator,
        coordinator_nantes=coordinator_nantes,
        etabs=etabs,
        built=built,
    )


@pytest.fixture
def sessions(_sessions_once, db, request):  # db: named, so that pytest-django orders the test as a database one
    """The Toulouse and Nantes sessions on a two-module course: built once per module when its tests can share them
    (tests/built_once.py), else per test."""
    return build_sessions() if _sessions_once is None else per_test(_sessions_once)


def csv_bytes(lines: list[str], *, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return newline.join(lines).encode(encoding)


@pytest.fixture(autouse=True)
def _french_by_default():
    from django.utils import translation

    translation.activate("fr")
    yield


@pytest.fixture
def group(sessions):
    """Four participants of the Toulouse session: one done with module 1, one idle for 30 days, two not started."""
    from django.utils import timezone

    from cohorts import services
    from courses.models import Enrolment
    from courses.services import complete_activity

    t1 = sessions.etabs["t1"].uai
    lines = [
        f"alice@ac-toulouse.fr;Avril;Alice;{t1}",
        f"bruno@ac-toulouse.fr;Bernard;Bruno;{t1}",
        f"chloe@ac-toulouse.fr;Chevalier;Chloé;{t1}",
        f"david@ac-toulouse.fr;Durand;David;{t1}",
    ]
    plan = services.enrol_participants(session=sessions.session, raw=csv_bytes(lines))
    assert plan.applied
    users = {p.user.first_name: p.user for p in plan.created}
    lessons = sessions.built["lessons"]
    complete_activity(user=users["Alice"], page=lessons[0])
    complete_activity(user=users["Alice"], page=lessons[1])
    complete_activity(user=users["Bruno"], page=lessons[0])
    Enrolment.objects.filter(user=users["Bruno"]).update(last_activity_at=timezone.now() - dt.timedelta(days=30))
    return users
