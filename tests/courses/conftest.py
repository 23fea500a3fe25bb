from wagtail.models import Locale

import pytest

from courses import demo
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import content_key, setup_national_catalogue
from tests.built_once import per_test


def _lesson(title: str, slug: str, **fields) -> LessonPage:
    return LessonPage(
        title=title,
        slug=slug,
        summary=f"Résumé de {title}",
        body=[{"type": "rich_text", "value": f"<p>Texte de {title}.</p>"}],
        **fields,
    )


def build_course_world(n_modules: int = 2, n_lessons: int = 2, *, translate: bool = True, catalogue=None) -> dict:
    """A published course in French with its English translation: n_modules × n_lessons lessons."""
    catalogues = {c.locale.language_code: c for c in setup_national_catalogue()}
    fr_catalogue = catalogue or catalogues["fr"]
    course = CoursePage(title="Cours test", slug="cours-test", summary="<p>Un cours.</p>", estimated_hours=2)
    fr_catalogue.add_child(instance=course)
    course.save_revision().publish()
    modules, lessons = [], []
    for m in range(1, n_modules + 1):
        module = ModulePage(title=f"Module {m}", slug=f"module-{m}")
        course.add_child(instance=module)
        module.save_revision().publish()
        modules.append(module)
        for n in range(1, n_lessons + 1):
            lesson = _lesson(f"Leçon {m}.{n}", f"lecon-{m}-{n}")
            module.add_child(instance=lesson)  # live, without a revision: fast for large courses
            lessons.append(lesson)
    result = {"course": course, "modules": modules, "lessons": lessons, "en": {}}
    if translate:
        en = Locale.objects.get(language_code="en")
        en_course = course.copy_for_translation(en, copy_parents=False)
        en_course.title = "Test course"
        en_course.save_revision().publish()
        en_modules = []
        for module in modules:
            en_module = module.copy_for_translation(en)
            en_module.title = module.title.replace("Module", "Unit")
            en_module.save_revision().publish()
            en_modules.append(en_module)
        en_lessons = []
        for lesson in lessons:
            en_lesson = lesson.copy_for_translation(en)
            en_lesson.title = lesson.title.replace("Leçon", "Lesson")
            en_lesson.save_revision().publish()
            en_lessons.append(en_lesson)
        result["en"] = {"course": en_course, "modules": en_modules, "lessons": en_lessons}
    return result


@pytest.fixture
def build_course(db):
    """build_course_world, for a test to call."""
    return build_course_world


@pytest.fixture
def add_lesson():
    def add(module, title="Nouvelle leçon", slug="nouvelle-lecon", **fields):
        lesson = _lesson(title, slug, **fields)
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
        return lesson

    return add


@pytest.fixture
def teacher(make_user, academies):
    from lms.roles import TEACHERS

    return make_user(email="enseignant@ac-toulouse.fr", role=TEACHERS, academie=academies["Toulouse"])


def load_demo_courses() -> CoursePage:
    """The demo courses alone (courses.demo), loaded twice (loading twice changes nothing); returns the first one, in
    French."""
    demo.load()
    demo.load()
    return CoursePage.objects.get(translation_key=content_key("ia-generative-en-classe"), locale__language_code="fr")


@pytest.fixture
def demo_course(_demo_course_once, db):  # db: named, so that pytest-django orders the test as a database one
    """The demo courses, without their quizzes: loaded once per module when its tests can share them
    (tests/built_once.py), else per test; the first course, in French."""
    return load_demo_courses() if _demo_course_once is None else per_test(_demo_course_once)
