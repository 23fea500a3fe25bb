"""Answer leakage: the HTML of every quiz state before an answer is recorded holds no right answer, no per-choice
feedback, no explanation and no stable option id; form values are per-attempt tokens."""

from __future__ import annotations

import re

import pytest

from assessments.models import Attempt

from .conftest import RIGHT, make_question, post_data

pytestmark = pytest.mark.django_db

SECRETS = ("FEEDBACK-", "EXPLANATION-SECRET", "GENERAL-SECRET", "hallucination", "confabulation", "correct")
STABLE_IDS = (
    "a",
    "b",
    "c",
    "d",
    "true",
    "false",
    "first",
    "second",
    "third",
    "fourth",
    "s1",
    "s2",
    "s3",
    "t1",
    "t2",
    "t3",
    "t4",
)


def assert_no_leak(html: str, attempt: Attempt | None = None) -> None:
    form = html[html.find("<main") :]
    for secret in SECRETS:
        assert secret not in form, secret
    form = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", form)
    values = re.findall(r'<(?:input|option)[^>]*value="([^"]*)"', form)
    names = re.findall(r'name="(q\d+-[^"]+)"', form)
    for value in values:
        assert value not in STABLE_IDS, value
    for name in names:
        assert name.split("-", 1)[1] not in STABLE_IDS, name
    if attempt is not None:
        tokens = {t for entry in attempt.layout for t in entry["tokens"]}
        choice_values = {v for v in values if v and not v.isdigit() and v not in ("0", "1")}
        assert choice_values <= tokens | {str(i) for i in range(len(attempt.layout))} | {""}


@pytest.fixture
def secret_questions(db, unesco):
    return [
        make_question(
            kind, explanation="EXPLANATION-SECRET", general_feedback="GENERAL-SECRET", competencies=[unesco["1.1"]]
        )
        for kind in ("single", "multiple", "true_false", "ordering", "matching", "short_text", "numeric", "likert")
    ]


@pytest.mark.parametrize("timing", ["at_end", "after_each"])
def test_every_state_before_answering_hides_answers(client, teacher, make_quiz, secret_questions, timing):
    quiz = make_quiz(secret_questions, feedback_timing=timing)
    client.force_login(teacher)
    assert_no_leak(client.get(quiz.url).content.decode())
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get()
    url = f"{quiz.url}tentative/{attempt.pk}/"
    seen_types = set()
    for slot, entry in enumerate(attempt.layout):
        question_page = client.get(url)
        html = question_page.content.decode()
        assert question_page["Cache-Control"] == "no-store"
        assert_no_leak(html, attempt)
        seen_types.add(entry["type"])
        # the page with a validation error leaks nothing either
        error_html = client.post(url, {"slot": str(slot)}).content.decode()
        assert "error-summary" in error_html
        assert_no_leak(error_html, attempt)
        client.post(url, post_data(attempt, slot, RIGHT[entry["type"]]))
        feedback = client.get(f"{url}retour/{slot}/")
        if timing == "at_end":  # no feedback page before the attempt is submitted
            assert feedback.status_code == 302 and feedback["Location"] == url
        else:
            assert feedback.status_code == 200
    assert len(seen_types) == 8
    finish_html = client.get(url).content.decode()
    assert_no_leak(finish_html, attempt)


def test_tokens_differ_between_attempts_and_reveal_nothing(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("ordering")], max_attempts=3)
    client.force_login(teacher)
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    first = Attempt.objects.get()
    url = f"{quiz.url}tentative/{first.pk}/"
    for slot, entry in enumerate(first.layout):
        client.post(url, post_data(first, slot, RIGHT[entry["type"]]))
    client.post(url + "terminer/")
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    second = Attempt.objects.exclude(pk=first.pk).get()
    assert not set(first.layout[0]["tokens"]) & set(second.layout[0]["tokens"])
    for entry in (*first.layout, *second.layout):
        for token in entry["tokens"]:
            assert len(token) >= 8 and token not in STABLE_IDS
    # items to order are never displayed in the right order
    ordering = next(e for e in second.layout if e["type"] == "ordering")
    assert [ordering["tokens"][t] for t in ordering["order"]] != RIGHT["ordering"]


def test_preview_shows_the_questions_without_answers(client, make_user, make_quiz, secret_questions):
    from django.contrib.auth.models import Permission

    quiz = make_quiz(secret_questions)
    admin = make_user(email="admin@ac-toulouse.fr", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/{quiz.pk}/view_draft/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview" in html or "Aperçu" in html
    assert html.count("<fieldset") == 8
    assert_no_leak(html)
    assert not Attempt.objects.exists()
    del Permission
