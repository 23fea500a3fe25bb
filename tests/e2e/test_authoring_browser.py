"""Real Chromium, as a training coordinator and as a moderator, driven by visible labels: author a course (module,
lesson with every block type, a fixed quiz and a quiz drawn from the bank), preview each page, submit the course in
one action, approve it. The world and the steps are in tests/e2e/authoring.py; translating and copying a course, and
the administration screens of each role, are in test_authoring_catalogue_browser.py.

Every test fails on any console error, page error or Content Security Policy violation (the `problems` fixture,
tests/e2e/authoring.py)."""

import re

import pytest

from tests.e2e.authoring import (
    SAMPLE_PROGRESS,
    create_course,
    create_drawn_quiz,
    create_fixed_quiz,
    create_lesson_with_every_block,
    create_module,
    log_in,
    open_form,
    page_action,
    preview,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_authors_previews_and_submits_a_course_then_the_moderator_approves_it(page, site, problems):
    from wagtail.models import Page, WorkflowState

    from assessments.models import QuizPage

    url = site["url"]
    log_in(page, url, "coord@ac-toulouse.fr")
    course = create_course(page, url, site["toulouse"][0].pk)
    preview(page, SAMPLE_PROGRESS)
    module = create_module(page, url, course)
    preview(page, SAMPLE_PROGRESS)
    lesson = create_lesson_with_every_block(page, url, module)
    preview(page, "Hallucination")
    fixed = create_fixed_quiz(page, url, module, "Question single")
    preview(page, "Prompt of the single question?")
    drawn = create_drawn_quiz(page, url, module, site["item"].label_fr)
    preview(page, "Questions")
    ids = [course, module, lesson, fixed, drawn]
    fixed_quiz, drawn_quiz = QuizPage.objects.get(pk=fixed), QuizPage.objects.get(pk=drawn)
    assert [q.question for q in fixed_quiz.quiz_questions.all()] == [site["questions"][0]]  # live bank question
    assert list(drawn_quiz.draw_competencies.all()) == [site["item"]]
    assert not any(p.live for p in Page.objects.filter(pk__in=ids))

    # One action submits the course and its four pages, after a confirmation listing them.
    page_action(page, url, course, "Soumettre le parcours à la modération")
    listed = page.get_by_role("listitem").filter(has_text=re.compile("Leçon|Quiz|Module|Parcours"))
    assert listed.count() == 5
    page.get_by_role("button", name="Soumettre ces pages à la modération").click()
    page.wait_for_load_state("networkidle")
    message = page.get_by_role("status").all_inner_texts() + page.locator(".messages").all_inner_texts()
    assert any("a été soumis à la modération avec 5 pages" in m for m in message), message
    assert WorkflowState.objects.active().filter(object_id__in=[str(i) for i in ids]).count() == 5

    # The moderator approves the course from its editor: all five pages are published.
    log_in(page, url, "moderation@education.gouv.fr")
    open_form(page, f"{url}/admin/pages/{course}/edit/")
    page.get_by_role("button", name="Plus d'actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Approuver et Publier", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert Page.objects.filter(pk__in=ids, live=True).count() == 5
    assert not WorkflowState.objects.active().exists()

    # The learner's page shows what was authored.
    page.goto(url + Page.objects.get(pk=lesson).url)
    page.get_by_text("Hallucination").first.wait_for()
