"""Fixtures: a small course with quizzes built from the bank, learners, and helpers to answer through the forms."""

from __future__ import annotations

import re
from decimal import Decimal

from wagtail.models import Locale

import pytest

from assessments.models import OptionRole, Question, QuestionOption, QuizPage, QuizQuestion
from competencies.models import CompetencyItem
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import setup_national_catalogue
from tests.built_once import per_test


def make_question(kind: str, *, title: str = "", locale=None, competencies=(), translation_key=None, **fields):
    """A question of each type with known right answers (see SPECS below)."""
    spec = SPECS[kind]
    question = Question(
        title=title or f"{kind} question",
        question_type=kind,
        prompt=fields.pop("prompt", f"Prompt of the {kind} question?"),
        locale=locale or Locale.objects.get(language_code="fr"),
        **spec.get("fields", {}),
        **fields,
    )
    if translation_key is not None:
        question.translation_key = translation_key
    question.options = [QuestionOption(**o) for o in spec.get("options", [])]
    question.competencies = list(competencies)
    question.save()
    return question


def _choices(right: set[str], keys=("a", "b", "c", "d")):
    return [
        {
            "role": OptionRole.CHOICE,
            "key": k,
            "text": f"Choice {k.upper()} text",
            "correct": k in right,
            "feedback": f"FEEDBACK-{k}-SECRET",
        }
        for k in keys
    ]


SPECS = {
    "single": {"options": _choices({"b"})},
    "multiple": {"options": _choices({"a", "c"})},
    "true_false": {
        "options": [
            {"role": OptionRole.CHOICE, "key": "true", "text": "Vrai", "correct": False, "feedback": "FEEDBACK-true"},
            {"role": OptionRole.CHOICE, "key": "false", "text": "Faux", "correct": True, "feedback": "FEEDBACK-false"},
        ]
    },
    "ordering": {
        "options": [
            {"role": OptionRole.ITEM, "key": k, "text": f"Step {k}"} for k in ("first", "second", "third", "fourth")
        ]
    },
    "matching": {
        "options": [
            {"role": OptionRole.SOURCE, "key": "s1", "text": "Source one", "match_key": "t1"},
            {"role": OptionRole.SOURCE, "key": "s2", "text": "Source two", "match_key": "t2"},
            {"role": OptionRole.SOURCE, "key": "s3", "text": "Source three", "match_key": "t3"},
            {"role": OptionRole.TARGET, "key": "t1", "text": "Target one"},
            {"role": OptionRole.TARGET, "key": "t2", "text": "Target two"},
            {"role": OptionRole.TARGET, "key": "t3", "text": "Target three"},
            {"role": OptionRole.TARGET, "key": "t4", "text": "Target four (distractor)"},
        ]
    },
    "short_text": {"fields": {"accepted_answers": "hallucination\nconfabulation"}},
    "numeric": {"fields": {"numeric_min": Decimal("2.5"), "numeric_max": Decimal("3.5")}},
    "likert": {"options": [{"role": OptionRole.SCALE, "key": str(i), "text": f"Level {i}"} for i in range(1, 6)]},
}

# A right answer for each type, in stable ids.
RIGHT = {
    "single": "b",
    "multiple": ["a", "c"],
    "true_false": "false",
    "ordering": ["first", "second", "third", "fourth"],
    "matching": {"s1": "t1", "s2": "t2", "s3": "t3"},
    "short_text": "Hallucination",
    "numeric": "3,0",
    "likert": "4",
}
WRONG = {
    "single": "a",
    "multiple": ["b"],
    "true_false": "true",
    "ordering": ["fourth", "third", "second", "first"],
    "matching": {"s1": "t4", "s2": "t4", "s3": "t4"},
    "short_text": "nope",
    "numeric": "12",
    "likert": "1",
}


def post_data(attempt, slot: int, value) -> dict:
    """The form fields a browser would send for `value` (stable ids) at `slot`, through the attempt's tokens."""
    entry = attempt.layout[slot]
    token_of = {}
    for token, key in entry["tokens"].items():
        role = "target" if token in entry.get("targets", []) else "main"
        token_of[(role, key)] = token
    name = f"q{slot}"
    data: dict = {"slot": str(slot)}
    kind = entry["type"]
    if kind in ("single", "true_false", "likert"):
        data[name] = token_of[("main", value)]
    elif kind == "multiple":
        data[name] = [token_of[("main", k)] for k in value]
    elif kind == "ordering":
        for position, key in enumerate(value, start=1):
            data[f"{name}-{token_of[('main', key)]}"] = str(position)
    elif kind == "matching":
        for source, target in value.items():
            data[f"{name}-{token_of[('main', source)]}"] = token_of[("target", target)]
    else:
        data[name] = value
    return data


@pytest.fixture
def unesco():
    return {i.code: i for i in CompetencyItem.objects.filter(framework__code="unesco-aicft-2024")}


def build_course_tree() -> dict:
    """Catalogue → course → module (with one lesson) in French and English."""
    catalogues = {c.locale.language_code: c for c in setup_national_catalogue()}
    course = CoursePage(title="Cours test", slug="cours-test", summary="<p>Un cours.</p>", estimated_hours=2)
    catalogues["fr"].add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Module 1", slug="module-1")
    course.add_child(instance=module)
    module.save_revision().publish()
    lesson = LessonPage(title="Leçon 1", slug="lecon-1", body=[{"type": "rich_text", "value": "<p>Texte.</p>"}])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    en_course = course.copy_for_translation(en, copy_parents=False)
    en_course.save_revision().publish()
    en_module = module.copy_for_translation(en)
    en_module.title = "Unit 1"
    en_module.save_revision().publish()
    return {"course": course, "module": module, "lesson": lesson, "en_course": en_course, "en_module": en_module}


@pytest.fixture
def course_tree(_course_tree_once, db, request):  # db: named, so that pytest-django orders the test as a database one
    """Catalogue → course → module (with one lesson) in French and English: built once per module when its tests can
    share it (tests/built_once.py), else per test."""
    return build_course_tree() if _course_tree_once is None else per_test(_course_tree_once)


@pytest.fixture
def make_quiz(course_tree):
    def make(questions, *, module=None, title="Quiz test", slug="quiz-test", **fields):
        quiz = QuizPage(title=title, slug=slug, **fields)
        (module or course_tree["module"]).add_child(instance=quiz)
        quiz.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)]
        quiz.save()
        quiz.save_revision().publish()
        return QuizPage.objects.get(pk=quiz.pk)

    return make


@pytest.fixture
def all_types(db, unesco):
    return [
        make_question(kind, competencies=[unesco["1.1"]] if kind != "matching" else [unesco["2.1"]])
        for kind in ("single", "multiple", "true_false", "ordering", "matching", "short_text", "numeric", "likert")
    ]


@pytest.fixture
def teacher(make_user, academies):
    from lms.roles import TEACHERS

    return make_user(email="enseignant@ac-toulouse.fr", role=TEACHERS, academie=academies["Toulouse"])


@pytest.fixture
def other_teacher(make_user, academies):
    from lms.roles import TEACHERS

    return make_user(email="collegue@ac-toulouse.fr", role=TEACHERS, academie=academies["Toulouse"])


TOKEN_RE = re.compile(r'(?:value|name)="(q\d+-)?([A-Za-z0-9_-]+)"')
