"""The learner's journey through the views: start, answer one question per page, resume, submit, results."""

from __future__ import annotations

import pytest

from assessments.models import Attempt, Response
from courses.models import ActivityProgress
from xapi.models import OutboxStatement
from xapi.validation import assert_valid_statement

from .conftest import RIGHT, WRONG, post_data

pytestmark = pytest.mark.django_db


def _start(client, quiz):
    response = client.post(quiz.url + "commencer/", {"enrol": "1"})
    assert response.status_code == 302, response
    return Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")


def _answer_all(client, quiz, attempt, answers):
    url = f"{quiz.url}tentative/{attempt.pk}/"
    for slot, entry in enumerate(attempt.layout):
        response = client.post(url, post_data(attempt, slot, answers[entry["type"]]))
        assert response.status_code == 302, response.content.decode()[:3000]
    return url


def test_full_journey_pass_completes_activity_and_emits_valid_statements(client, teacher, make_quiz, all_types):
    quiz = make_quiz(all_types, max_attempts=2)
    client.force_login(teacher)
    page = client.get(quiz.url)
    assert page.status_code == 200
    attempt = _start(client, quiz)
    url = _answer_all(client, quiz, attempt, RIGHT)
    finish_page = client.get(url)
    assert "terminer" in finish_page.content.decode()
    response = client.post(url + "terminer/")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.passed is True
    assert attempt.score_raw == attempt.score_max
    assert Response.objects.filter(attempt=attempt).count() == 8
    progress = ActivityProgress.objects.get(activity_key=quiz.translation_key)
    assert progress.completed_at is not None and progress.score == 1.0
    results = client.get(f"{url}resultats/")
    assert results.status_code == 200
    statements = [__import__("json").loads(bytes(row.payload)) for row in OutboxStatement.objects.order_by("pk")]
    for statement in statements:
        assert_valid_statement(statement)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert verbs.count("answered") == 8
    assert verbs.count("passed") == 1 and "failed" not in verbs


def test_fail_then_pass_then_no_new_passed(client, teacher, make_quiz, all_types):
    quiz = make_quiz(all_types, max_attempts=3)
    client.force_login(teacher)
    for answers in (WRONG, RIGHT, RIGHT):
        attempt = _start(client, quiz)
        url = _answer_all(client, quiz, attempt, answers)
        client.post(url + "terminer/")
    verbs = list(OutboxStatement.objects.order_by("pk").values_list("verb", flat=True))
    short = [v.rsplit("/", 1)[-1] for v in verbs]
    assert short.count("failed") == 1
    assert short.count("passed") == 1
    assert Attempt.objects.filter(user=teacher).count() == 3
