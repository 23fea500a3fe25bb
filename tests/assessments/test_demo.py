"""The demo quizzes: one per module (≥ 6 questions, several types, tagged, consistent options) and the positioning quiz,
FR and EN."""

from __future__ import annotations

import pytest

from assessments import demo
from assessments.models import Attempt, Question, QuizPage, option_problems
from courses import demo as courses_demo
from courses.models import CoursePage, ModulePage
from courses.services import content_key

from .conftest import WRONG, post_data

pytestmark = pytest.mark.django_db


# demo_content (tests/conftest.py): the demo courses and quizzes, loaded once for the module.


def test_a_quiz_per_module_and_the_positioning_quiz_in_both_languages(demo_content):
    for lang in ("fr", "en"):
        modules = _first_course_modules(lang)
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


def _first_course_modules(lang: str) -> list[ModulePage]:
    """The modules of the first demo course (courses/content/demo_course.json), which holds the positioning quiz."""
    course = CoursePage.objects.get(translation_key=content_key("ia-generative-en-classe"), locale__language_code=lang)
    return list(ModulePage.objects.child_of(course).order_by("path"))


def test_every_course_file_is_loaded_with_a_quiz_per_module(demo_content):
    for data in courses_demo.course_data():
        for lang in ("fr", "en"):
            course = CoursePage.objects.get(
                translation_key=content_key(data["course"]["key"]), locale__language_code=lang
            )
            assert course.live and course.title == data["course"][lang]["title"]
            modules = ModulePage.objects.child_of(course)
            assert modules.count() == len(data["modules"])
            for module in modules:
                assert module.get_children().type(QuizPage).live().exists(), module


def test_loading_twice_changes_nothing(demo_content):
    counts = (QuizPage.objects.count(), Question.objects.count())
    courses_demo.load()
    demo.load()
    assert (QuizPage.objects.count(), Question.objects.count()) == counts


def test_demo_questions_have_consistent_options(demo_content):
    for question in Question.objects.prefetch_related("options"):
        options = [
            {"role": o.role, "key": o.key, "correct": o.correct, "match_key": o.match_key}
            for o in question.options.all()
        ]
        assert option_problems(question.question_type, options) == [], question


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
    if kind == "likert":  # the top of the scale: "4" on a 1–4 opinion scale, "3" (Create) on a self-rating
        return max((o.key for o in question.options.all()), key=int)
    return None


def test_the_demo_module_quiz_can_be_passed_in_english(client, demo_content, teacher):
    quiz = QuizPage.objects.get(locale__language_code="en", slug="quiz-module-1")
    client.force_login(teacher)
    attempt, url = _take(client, quiz, _right)
    assert attempt.passed and attempt.score_raw == attempt.score_max
    html = client.get(url + "results/").content.decode()
    assert "Module 1 quiz" in html


def test_positioning_quiz_shows_profile_and_recommends_modules(client, demo_content, teacher):
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
    module_3 = _first_course_modules("fr")[2]
    recommended = (
        html.split("Commencez par ces modules")[1]
        if "Commencez par ces modules" in html
        else html.split("Start with these modules")[1]
    )
    assert module_3.title in recommended.split("</ol>")[0]
    first = _first_course_modules("fr")[0]
    assert first.title not in recommended.split("</ol>")[0]


def test_positioning_places_each_aspect_and_recommends_the_next_level_lessons(client, demo_content, teacher):
    """Self-rating "Create" everywhere; the situations confirm it except on 2.2 (aspect 2 falls back to Acquire) and
    on 5.3 (aspect 5 falls back to Deepen)."""
    quiz = QuizPage.objects.get(locale__language_code="fr", kind="positioning")
    client.force_login(teacher)
    missed = {"2.2", "5.3"}

    def answers(entry):
        question = Question.objects.get(pk=entry["question"])
        codes = {c.code for c in question.competencies.all()}
        if entry["type"] != "likert" and codes & missed:
            return sorted({o.key for o in question.options.all()} - question.spec().correct)[0]
        return _right(entry)

    _attempt, url = _take(client, quiz, answers)
    html = client.get(url + "resultats/").content.decode()
    table = html.split('class="placements"')[1].split("</table>")[0]
    rows = {row.split("</th>")[0].split(">")[-1][:1]: row for row in table.split("<tr>")[2:]}
    assert set(rows) == {"1", "2", "3", "4", "5"}
    assert "<strong>Créer</strong>" in rows["1"] and "Rien à rattraper" in rows["1"]
    assert "<strong>Acquérir</strong>" in rows["2"] and "ne confirment pas encore" in rows["2"]
    assert "<strong>Approfondir</strong>" in rows["5"]
    # Aspect 2 recommends the lessons tagged 2.2, aspect 5 those tagged 5.3, in French.
    from courses.models import LessonPage

    for code, row in (("2.2", rows["2"]), ("5.3", rows["5"])):
        lessons = LessonPage.objects.live().filter(locale__language_code="fr", competencies__code=code)
        assert lessons.exists() and any(lesson.url in row for lesson in lessons), code
