"""Two requests at once on PostgreSQL (real transactions, two threads): one answer, one attempt, one result."""

from __future__ import annotations

import threading

from django.db import connection

import pytest

from assessments import services
from assessments.models import Attempt, Response
from xapi.models import OutboxStatement

from .conftest import make_question

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(*calls):
    """Run the calls in threads released at the same instant; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def test_two_submissions_of_the_same_answer_at_once_one_wins(teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("numeric")])
    attempt = services.start_attempt(user=teacher, quiz=quiz)
    results, errors = run_together(
        lambda: services.save_answers(user=teacher, attempt_id=attempt.pk, answers={0: "b"}),
        lambda: services.save_answers(user=teacher, attempt_id=attempt.pk, answers={0: "a"}),
    )
    assert errors == [None, None]
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert sorted(len(r.saved) for r in results) == [0, 1]
    assert sorted(len(r.already_answered) for r in results) == [0, 1]
    assert OutboxStatement.objects.filter(verb__endswith="/answered").count() == 1


def test_two_tabs_starting_at_once_get_one_attempt(teacher, make_quiz):
    quiz = make_quiz([make_question("single")], max_attempts=1)
    results, errors = run_together(
        lambda: services.start_attempt(user=teacher, quiz=quiz),
        lambda: services.start_attempt(user=teacher, quiz=quiz),
    )
    assert errors == [None, None]
    assert results[0].pk == results[1].pk
    assert Attempt.objects.filter(user=teacher).count() == 1


def test_two_finishes_at_once_one_result(teacher, make_quiz):
    quiz = make_quiz([make_question("single")])
    attempt = services.start_attempt(user=teacher, quiz=quiz)
    services.save_answers(user=teacher, attempt_id=attempt.pk, answers={0: "b"})
    results, errors = run_together(
        lambda: services.finish_attempt(user=teacher, attempt_id=attempt.pk),
        lambda: services.finish_attempt(user=teacher, attempt_id=attempt.pk),
    )
    assert errors == [None, None]
    assert sorted(r.newly_finished for r in results) == [False, True]
    assert OutboxStatement.objects.filter(verb__endswith="/passed").count() == 1
