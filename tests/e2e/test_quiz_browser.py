"""A quiz in real Chromium: axe-core finds no WCAG 2.1 AA violation on the quiz page, a question, a question with
validation errors and the results page; ordering and matching questions are answered with the keyboard only."""

from __future__ import annotations

import pytest

from assessments.models import Attempt
from tests.assessments.conftest import course_tree, make_question, make_quiz, unesco  # noqa: F401 - fixtures
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def learner(make_user, academies):
    from lms.roles import TEACHERS

    return make_user(email="clavier@ac-toulouse.fr", password=PASSWORD, role=TEACHERS, academie=academies["Toulouse"])


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only, no click)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus")


def focused_label(page) -> str:
    return page.evaluate("() => document.activeElement.labels[0].innerText")


def test_quiz_accessible_and_keyboard_only(live_server, page, login, learner, make_quiz, unesco):  # noqa: F811
    quiz = make_quiz(
        [
            make_question("ordering", prompt="Remettez les étapes dans l'ordre.", competencies=[unesco["3.1"]]),
            make_question("matching", prompt="Associez chaque source à sa cible.", competencies=[unesco["2.1"]]),
            make_question("single", prompt="Quelle est la bonne réponse ?", competencies=[unesco["1.1"]]),
        ]
    )
    login(page, learner.email, PASSWORD)
    page.goto(live_server.url + quiz.url)
    assert axe_violations(page) == []

    tab_to(page, "form[action$='commencer/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tentative/**")
    assert page.locator("fieldset legend").first.inner_text().startswith("Remettez")
    assert axe_violations(page) == []

    # Submitting nothing: the error summary takes the focus, errors point at the fields
    tab_to(page, "button[type=submit].button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#erreurs")
    assert page.evaluate("() => document.activeElement.id") == "erreurs"
    assert page.get_attribute("#q0-0", "aria-describedby") == "q0-error"
    assert axe_violations(page) == []

    # Ordering with the keyboard: each item's position chosen in its select list
    positions = {"Step first": "1", "Step second": "2", "Step third": "3", "Step fourth": "4"}
    tab_to(page, "#q0-0")
    for i in range(4):
        assert page.evaluate("() => document.activeElement.id") == f"q0-{i}"
        page.keyboard.type(positions[focused_label(page).replace("Position de :", "").strip()])
        page.keyboard.press("Tab")
    tab_to(page, "button[type=submit].button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#q1-0') !== null")
    assert axe_violations(page) == []

    # Matching with the keyboard: a target chosen for each source by typing its name
    targets = {"Source one": "Target one", "Source two": "Target two", "Source three": "Target three"}
    tab_to(page, "#q1-0")
    for _ in range(3):
        page.keyboard.type(targets[focused_label(page)])
        page.keyboard.press("Tab")
    tab_to(page, "button[type=submit].button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#q2-0') !== null")

    # Single choice: Space checks the focused radio button
    page.get_by_label("Choice B text").focus()
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit].button")
    page.keyboard.press("Enter")
    page.wait_for_selector("form[action$='terminer/']")
    tab_to(page, "form[action$='terminer/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/resultats/")
    assert axe_violations(page) == []

    attempt = Attempt.objects.get(user=learner)
    assert attempt.passed is True and attempt.score_raw == attempt.score_max == 3 + 3 + 1
    values = {r.slot: r.value for r in attempt.responses.all()}
    assert values[0] == ["first", "second", "third", "fourth"]
    assert values[1] == {"s1": "t1", "s2": "t2", "s3": "t3"}


def test_feedback_and_positioning_results_accessible(live_server, page, login, learner, make_quiz, unesco):  # noqa: F811
    quiz = make_quiz(
        [
            make_question("multiple", prompt="Cochez les bonnes réponses.", competencies=[unesco["1.1"]]),
            make_question("short_text", prompt="Quel mot ?", competencies=[unesco["3.3"]]),
            make_question("likert", prompt="Vous sentez-vous capable ?", competencies=[unesco["1.1"]]),
        ],
        kind="positioning",
        required_for_completion=False,
        feedback_timing="after_each",
    )
    login(page, learner.email, PASSWORD)
    page.goto(live_server.url + quiz.url)
    page.click("form[action$='commencer/'] button")
    page.get_by_label("Choice A text").check()
    page.click("button[type=submit].button")
    page.wait_for_url("**/retour/0/")
    assert "FEEDBACK-a-SECRET" in page.content()
    assert axe_violations(page) == []
    page.click("a.button")
    page.fill("#q1-0", "mauvaise réponse")
    page.click("button[type=submit].button")
    page.wait_for_url("**/retour/1/")
    page.click("a.button")
    page.get_by_label("Level 4").check()
    page.click("button[type=submit].button")
    page.wait_for_url("**/retour/2/")
    page.click("a.button")
    page.click("form[action$='terminer/'] button")
    page.wait_for_url("**/resultats/")
    assert page.locator("h1").inner_text() == "Votre profil"
    assert axe_violations(page) == []
