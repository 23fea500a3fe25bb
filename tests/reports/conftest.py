"""A small world: two académies (Toulouse, Nantes), establishments, one national course (FR + EN) with an
académie copy, lessons and a quiz-like activity, learners with enrolments in various states."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import Locale

import pytest

from courses.models import ActivityProgress, CataloguePage, CoursePage, Enrolment, HomePage, LessonPage, ModulePage
from lms.models import Establishment, User
from lms.roles import ACADEMY_MANAGERS, COORDINATORS, NATIONAL_ADMINS, TEACHERS
from lms.uai import uai_check_letter
from tests.built_once import per_test


def uai(number: str) -> str:
    return number + uai_check_letter(number)


def aware(y, m, d, h=12):
    return timezone.make_aware(dt.datetime(y, m, d, h))


@dataclass
class World:
    academies: dict
    etabs: dict = field(default_factory=dict)
    course: CoursePage | None = None
    course_en: CoursePage | None = None
    copy: CoursePage | None = None
    other: CoursePage | None = None
    lessons: list = field(default_factory=list)
    users: dict = field(default_factory=dict)
    item: object = None

    def enrol(self, user, course, *, etab, at=None, completed=None, done=0, score=None):
        e = Enrolment.objects.create(
            user=user, course_key=course.translation_key, academie=etab.academie, establishment=etab
        )
        Enrolment.objects.filter(pk=e.pk).update(enrolled_at=at or aware(2026, 9, 1), completed_at=completed)
        e.refresh_from_db()
        for lesson in self.lessons[:done]:
            ActivityProgress.objects.create(
                enrolment=e, activity_key=lesson.translation_key, kind="lesson", completed_at=aware(2026, 9, 2)
            )
        if score is not None:
            ActivityProgress.objects.create(
                enrolment=e, activity_key=uuid.uuid4(), kind="quiz", completed_at=aware(2026, 9, 3), score=score
            )
        return e

    def learner(self, email, etab, **fields):
        user = User.objects.create_user(email=email, password="x", academie=etab.academie, establishment=etab, **fields)
        user.groups.add(Group.objects.get(name=TEACHERS))
        return user


def add_course(parent, title, *, gaia="", hours="3.0", lessons=2, locale=None, translation_key=None, **extra):
    course = CoursePage(title=title, summary="<p>s</p>", gaia_identifier=gaia, estimated_hours=hours, **extra)
    if locale:
        course.locale = locale
    if translation_key:
        course.translation_key = translation_key
    parent.add_child(instance=course)
    module = ModulePage(title=f"{title} M1", locale=course.locale)
    if translation_key:
        module.translation_key = uuid.uuid5(translation_key, "m1")
    course.add_child(instance=module)
    created = []
    for i in range(lessons):
        lesson = LessonPage(title=f"{title} L{i}", body=[], locale=course.locale)
        if translation_key:
            lesson.translation_key = uuid.uuid5(translation_key, f"l{i}")
        module.add_child(instance=lesson)
        created.append(lesson)
    optional = LessonPage(title=f"{title} optional", body=[], required_for_completion=False, locale=course.locale)
    module.add_child(instance=optional)
    return course, created


def build_world(academies: dict) -> World:
    from competencies.models import CompetencyItem, Framework

    toulouse, nantes = academies["Toulouse"], academies["Nantes"]
    w = World(academies=academies)
    w.etabs = {
        "t1": Establishment.objects.create(uai=uai("0319001"), name="Collège Jean Jaurès", academie=toulouse),
        "t2": Establishment.objects.create(uai=uai("0319002"), name='=HYPERLINK("http://evil")', academie=toulouse),
        "n1": Establishment.objects.create(uai=uai("0449001"), name="Lycée Clemenceau", academie=nantes),
    }
    fr = Locale.objects.get(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    home_fr = HomePage.objects.get(locale=fr)
    home_en = HomePage.objects.get(locale=en)
    cat = CataloguePage(title="Catalogue", locale=fr)
    home_fr.add_child(instance=cat)
    cat_en = CataloguePage(title="Catalogue EN", locale=en, translation_key=cat.translation_key)
    home_en.add_child(instance=cat_en)
    fw = Framework.objects.create(code="test-fw", title_fr="Cadre", title_en="Framework")
    root = CompetencyItem.add_root(framework=fw, code="1", label_fr="Comprendre l'IA", label_en="Understand AI")
    w.item = root.add_child(framework=fw, code="1.1", label_fr="Usage éthique", label_en="Ethical use")
    national_key = uuid.uuid4()
    w.course, w.lessons = add_course(
        cat, "IA générative : les bases", gaia="26A0160001", hours="6.0", lessons=4, translation_key=national_key
    )
    w.course.competencies.add(w.item)
    w.course.save()
    w.course_en, _ = add_course(
        cat_en,
        "Generative AI: the basics",
        gaia="26A0160001",
        hours="6.0",
        lessons=4,
        locale=en,
        translation_key=w.course.translation_key,
    )
    w.copy, _ = add_course(cat, "IA générative (Toulouse)", hours="3.0", lessons=2)
    CoursePage.objects.filter(pk=w.copy.pk).update(copied_from_key=w.course.translation_key)
    w.other, _ = add_course(cat, "-Données personnelles", gaia="@SUM(1)", hours="1.5", lessons=1)
    for role, email, academie in [
        (TEACHERS, "teacher@ac-toulouse.fr", toulouse),
        (COORDINATORS, "coord@ac-toulouse.fr", toulouse),
        (ACADEMY_MANAGERS, "manager@ac-toulouse.fr", toulouse),
        (ACADEMY_MANAGERS, "manager@ac-nantes.fr", nantes),
        (NATIONAL_ADMINS, "admin@education.gouv.fr", None),
    ]:
        user = User.objects.create_user(email=email, password="x", academie=academie, is_staff=role != TEACHERS)
        user.groups.add(Group.objects.get(name=role))
        w.users[email.split("@")[0] + ("" if role != ACADEMY_MANAGERS else "_" + (academie.name.lower()))] = user
    return w


def populate(w: World) -> World:
    """Toulouse: 8 learners in t1 (6 completed), 3 in t2; Nantes: 6 learners in n1. Some with dangerous names."""
    t1, t2, n1 = w.etabs["t1"], w.etabs["t2"], w.etabs["n1"]
    for i in range(8):
        u = w.learner(f"t1-{i}@ac-toulouse.fr", t1, first_name=f"Prénom{i}", last_name=f"Toulousain{i}")
        done = 4 if i < 6 else i - 6  # 0 or 1 lesson for the last two
        w.enrol(
            u,
            w.course,
            etab=t1,
            completed=aware(2026, 10, 5 + i) if i < 6 else None,
            done=done,
            score=0.5 + i / 20 if i % 2 == 0 else None,
        )
    for i, last in enumerate(["=1+1", "+33612345678", "@cmd"]):
        u = w.learner(f"t2-{i}@ac-toulouse.fr", t2, first_name="\tTab", last_name=last)
        w.enrol(u, w.copy, etab=t2, at=aware(2026, 11, 2), done=1)
    for i in range(6):
        u = w.learner(f"n1-{i}@ac-nantes.fr", n1, first_name="Nantais", last_name=f"Nantais{i}")
        w.enrol(u, w.course, etab=n1, completed=aware(2026, 10, 1) if i < 3 else None, done=4 if i < 3 else 0)
    return w


@pytest.fixture
def world(db, academies):
    return build_world(academies)


@pytest.fixture
def populated(_populated_once, db, request):  # db: named, so that pytest-django orders the test as a database one
    """The world with its learners (populate): built once per module when its tests can share it
    (tests/built_once.py), else per test."""
    if _populated_once is None:
        return populate(request.getfixturevalue("world"))
    return per_test(_populated_once)


@pytest.fixture(autouse=True)
def _french_by_default():
    """The test client leaves the last request's language active in the thread; start each test in French."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _password_recently_confirmed(settings):
    """Report exports ask for the password again (privacy.decorators); these tests are about the reports
    themselves, so the confirmation is treated as recent. tests/privacy/test_audit.py covers the confirmation."""
    settings.PRIVACY_REAUTH_SECONDS = float("inf")
