"""Query ceilings of the quiz pages a learner uses (issue #16): the question page, an answer, the submission, the
submission constant in the number of questions. Counts leave out the savepoints of the test's own transaction."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Attempt

from .conftest import RIGHT, make_question, post_data

KINDS = ["single", "multiple", "true_false", "short_text", "numeric"]


def statements(captured: CaptureQueriesContext) -> int:
    return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for q in captured.captured_queries)


def _attempt(client, make_quiz, unesco, n: int, slug: str):
    questions = [
        make_question(KINDS[i % len(KINDS)], title=f"{slug}-{i}", competencies=[unesco["1.1"]]) for i in range(n)
    ]
    quiz = make_quiz(questions, slug=slug, title=slug)
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key)
    return quiz, attempt, f"{quiz.url}tentative/{attempt.pk}/"


def _measure(client, attempt, url) -> tuple[int, int, int]:
    """(question page, one answer, submission) statements, after warming the page."""
    client.get(url)
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    entry = attempt.layout[0]
    with CaptureQueriesContext(connection) as answer:
        assert client.post(url, post_data(attempt, 0, RIGHT[entry["type"]])).status_code == 302
    for slot in range(1, len(attempt.layout)):
        client.post(url, post_data(attempt, slot, RIGHT[attempt.layout[slot]["type"]]))
    with CaptureQueriesContext(connection) as finish:
        assert client.post(url + "terminer/").status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed and attempt.responses.count() == len(attempt.layout)
    return statements(page), statements(answer), statements(finish)


def test_quiz_pages_have_ceilings_and_the_submission_is_constant_in_questions(
    client, teacher, make_quiz, unesco, django_assert_max_num_queries
):
    client.force_login(teacher)
    quiz, attempt, url = _attempt(client, make_quiz, unesco, 5, "cinq")
    small = _measure(client, attempt, url)
    assert small[0] <= 12 and small[1] <= 16 and small[2] <= 36, small
    quiz, attempt, url = _attempt(client, make_quiz, unesco, 20, "vingt")
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    big = _measure(client, attempt, url)
    # Four times the questions, no more statements (the second submission may even find its module's progress row).
    assert all(b <= s for b, s in zip(big, small, strict=True)), (small, big)
