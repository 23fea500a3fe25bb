"""The demo quizzes: one per module (≥ 6 questions, several types, tagged) and the positioning quiz, FR and EN."""

from __future__ import annotations

import pytest

from assessments import demo
from assessments.models import Attempt, Question, QuizPage
from courses import demo as courses_demo
from courses.models import ModulePage

from .conftest import RIGHT, WRONG, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    courses_demo.load()
    demo.load()


def test_a_quiz_per_module_and_the_positioning_quiz_in_both_languages(loaded):
    for lang in ("fr", "en"):
        modules = list(ModulePage.objects.filter(locale__language_code=lang).order_by("path"))
        assert len(modules) == 3
        for module in modules:
            quizzes = [p.specific for p in module.get_children().type(QuizPage)]
            graded = [q for q in quizzes if q.kind == "module"]
            assert len(graded) == 1, module
            quiz = graded[0]
            questions = [qq.question for qq in quiz.quiz_questions.all()]
            assert len(questions) >= 6
            assert len({q.question_type for q in questions}) >= 4
            assert all(q.competencies.exists() for q in questions)
            assert all(q.locale.language_code == lang for q in questions)
            assert quiz.required_for_completion and quiz.live
        first = modules[0]
        positioning = first.get_first_child().specific
        assert isinstance(positioning, QuizPage) and positioning.kind == "positioning"
        assert not positioning.required_for_completion
        assert positioning.framework.code == "unesco-aicft-2024"
        codes = {c.code for qq in positioning.quiz_questions.all() for c in qq.question.competencies.all()}
        assert len(codes) == 15
    fr = QuizPage.objects.filter(locale__language_code="fr")
    en = QuizPage.objects.filter(locale__language_code="en")
    assert {q.translation_key for q in fr} == {q.translation_key for q in en}
    assert (
        Question.objects.filter(locale__language_code="fr").count()
        == Question.objects.filter(locale__language_code="en").count()
    )


def test_loading_twice_changes_nothing(loaded):
    counts = (QuizPage.objects.count(), Question.objects.count())
    courses_demo.load()
    demo.load()
    assert (QuizPage.objects.count(), Question.objects.count()) == counts


def _take(client, quiz, answers_for):
    english = quiz.locale.language_code == "en"  # quiz routes are translated: /en/…/start/, /…/commencer/
    client.post(quiz.url + ("start/" if english else "commencer/"), {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")
    url = f"{quiz.url}{'attempt' if english else 'tentative'}/{attempt.pk}/"
    for slot, entry in enumerate(attempt.layout):
        response = client.post(url, post_data(attempt, slot, answers_for(entry)))
        assert response.status_code == 302, response.content.decode()[:2000]
    client.post(url + ("finish/" if english else "terminer/"))
    attempt.refresh_from_db()
    return attempt, url


def _right(entry):
    from assessments.models import Question

    question = Question.objects.get(pk=entry["question"])
    spec = question.spec()
    kind = entry["type"]
    if kind in ("single", "true_false"):
        return sorted(spec.correct)[0]
    if kind == "multiple":
        return sorted(spec.correct)
    if kind == "ordering":
        return list(spec.options)
    if kind == "matching":
        return dict(spec.pairs)
    if kind == "short_text":
        return spec.accepted[0].upper()
    if kind == "numeric":
        return str(spec.minimum).replace(".", ",")
    return RIGHT["likert"] if kind == "likert" else None


def test_the_demo_module_quiz_can_be_passed_in_english(client, loaded, teacher):
    quiz = QuizPage.objects.get(locale__language_code="en", slug="quiz-module-1")
    client.force_login(teacher)
    attempt, url = _take(client, quiz, _right)
    assert attempt.passed and attempt.score_raw == attempt.score_max
    html = client.get(url + "results/").content.decode()
    assert "Module 1 quiz" in html


def test_positioning_quiz_shows_profile_and_recommends_modules(client, loaded, teacher):
    quiz = QuizPage.objects.get(locale__language_code="fr", kind="positioning")
    client.force_login(teacher)

    def wrong_on_module_3(entry):  # right everywhere except the competencies of module 3 (2.2, 3.3)
        question = Question.objects.get(pk=entry["question"])
        codes = {c.code for c in question.competencies.all()}
        if codes & {"2.2", "3.3"}:
            return (
                WRONG.get(entry["type"])
                if entry["type"] != "single"
                else sorted({o.key for o in question.options.all()} - question.spec().correct)[0]
            )
        return _right(entry)

    attempt, url = _take(client, quiz, wrong_on_module_3)
    assert attempt.passed is None
    html = client.get(url + "resultats/").content.decode()
    module_3 = ModulePage.objects.filter(locale__language_code="fr").order_by("path")[2]
    recommended = (
        html.split("Commencez par ces modules")[1]
        if "Commencez par ces modules" in html
        else html.split("Start with these modules")[1]
    )
    assert module_3.title in recommended.split("</ol>")[0]
    first = ModulePage.objects.filter(locale__language_code="fr").order_by("path")[0]
    assert first.title not in recommended.split("</ol>")[0]
