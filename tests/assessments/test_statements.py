"""The statements: `answered` per question, `passed`/`failed` per attempt, positioning `completed`; each valid,
written in the answer's transaction, in a constant number of queries."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments import services
from assessments.models import Attempt
from xapi import vocabulary as v
from xapi.models import OutboxStatement
from xapi.statements import extension_iri
from xapi.validation import assert_valid_statement

from .conftest import RIGHT, WRONG, make_question, post_data

pytestmark = pytest.mark.django_db


def outbox(verb: str | None = None) -> list[dict]:
    rows = OutboxStatement.objects.order_by("pk")
    if verb:
        rows = rows.filter(verb=verb)
    statements = [json.loads(bytes(r.payload)) for r in rows]
    for statement in statements:
        assert_valid_statement(statement)
    return statements


def take(client, quiz, answers, *, finish=True):
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.filter(quiz_key=quiz.translation_key, state="in_progress").get()
    url = f"{quiz.url}tentative/{attempt.pk}/"
    for slot, entry in enumerate(attempt.layout):
        client.post(url, post_data(attempt, slot, answers[entry["type"]]))
    if finish:
        client.post(url + "terminer/")
    attempt.refresh_from_db()
    return attempt


LENGTH_EXT = "https://formation-ia.example.org/xapi/extensions/response-length"
PII = "Jean Dupont, jean.dupont@ac-lyon.fr, 06 12 34 56 78"
PII_FRAGMENTS = ("Jean", "Dupont", "jean.dupont", "ac-lyon.fr", "06 12 34 56 78", "0612345678")


def test_free_text_never_reaches_the_lrs(client, teacher, make_quiz, all_types):
    """A learner types their name, e-mail and phone wherever they can: no statement of any kind carries them."""
    assert extension_iri(v.EXT_RESPONSE_LENGTH_NAME) == LENGTH_EXT
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")
    url = f"{quiz.url}tentative/{attempt.pk}/"
    for slot, entry in enumerate(attempt.layout):
        if entry["type"] == "short_text":
            client.post(url, post_data(attempt, slot, PII))
        else:  # free text where a choice is expected is refused by the form, then the real answer is given
            client.post(url, {"slot": str(slot), f"q{slot}": PII})
            client.post(url, post_data(attempt, slot, RIGHT[entry["type"]]))
    client.post(url + "terminer/")
    statements = outbox()
    assert len(outbox(v.ANSWERED.id)) == len(all_types)
    for statement in statements:
        text = json.dumps(statement, ensure_ascii=False)
        assert not [f for f in PII_FRAGMENTS if f in text], statement["verb"]["id"]
    [fill] = [s for s in outbox(v.ANSWERED.id) if s["object"]["definition"]["interactionType"] == "fill-in"]
    assert fill["result"] == {"success": False, "extensions": {LENGTH_EXT: len(PII)}}
    # the text stays in the platform, where the learner's download and erasure reach it
    assert attempt.responses.get(slot=[e["type"] for e in attempt.layout].index("short_text")).value == PII


def test_free_text_sent_when_the_deployment_asks_for_it(client, teacher, make_quiz, settings):
    settings.XAPI_SEND_FREE_TEXT = True
    quiz = make_quiz([make_question("short_text")])
    client.force_login(teacher)
    take(client, quiz, {"short_text": PII})
    [fill] = outbox(v.ANSWERED.id)
    assert fill["result"] == {"response": PII, "success": False}


def test_answered_statement_per_type(client, teacher, make_quiz, all_types):
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    take(client, quiz, RIGHT)
    answered = outbox(v.ANSWERED.id)
    assert len(answered) == 8
    by_type = {s["object"]["definition"]["interactionType"]: s for s in answered}
    assert set(by_type) == {"choice", "true-false", "sequencing", "matching", "fill-in", "numeric", "likert"}
    for statement in answered:
        definition = statement["object"]["definition"]
        assert definition["type"] == v.INTERACTION
        assert statement["object"]["id"].startswith("https://")
        parent = statement["context"]["contextActivities"]["parent"][0]
        assert parent["definition"]["type"] == v.ASSESSMENT and str(quiz.translation_key) in parent["id"]
        assert statement["context"]["registration"]
    tf = by_type["true-false"]
    assert tf["object"]["definition"]["correctResponsesPattern"] == ["false"]
    assert tf["result"] == {"response": "false", "success": True}
    seq = by_type["sequencing"]
    assert [c["id"] for c in seq["object"]["definition"]["choices"]] == ["first", "second", "third", "fourth"]
    assert seq["object"]["definition"]["correctResponsesPattern"] == ["first[,]second[,]third[,]fourth"]
    assert seq["result"]["response"] == "first[,]second[,]third[,]fourth"
    match = by_type["matching"]
    assert [c["id"] for c in match["object"]["definition"]["source"]] == ["s1", "s2", "s3"]
    assert [c["id"] for c in match["object"]["definition"]["target"]] == ["t1", "t2", "t3", "t4"]
    assert match["result"]["response"] == "s1[.]t1[,]s2[.]t2[,]s3[.]t3"
    fill = by_type["fill-in"]
    assert fill["object"]["definition"]["correctResponsesPattern"][0] == "{case_matters=false}hallucination"
    # the free text stays in the platform: the LRS gets success and length (see test_free_text_never_reaches_the_lrs)
    assert fill["result"] == {"success": True, "extensions": {LENGTH_EXT: len("Hallucination")}}
    num = by_type["numeric"]
    assert num["object"]["definition"]["correctResponsesPattern"] == ["2.5[:]3.5"]
    assert num["result"]["response"] == "3"
    likert = by_type["likert"]
    assert "correctResponsesPattern" not in likert["object"]["definition"]
    assert [c["id"] for c in likert["object"]["definition"]["scale"]] == ["1", "2", "3", "4", "5"]
    assert likert["result"] == {"response": "4"}
    choices = [s for s in answered if s["object"]["definition"]["interactionType"] == "choice"]
    multi = next(s for s in choices if "[,]" in s["object"]["definition"]["correctResponsesPattern"][0])
    assert multi["object"]["definition"]["correctResponsesPattern"] == ["a[,]c"]
    assert multi["result"]["response"] == "a[,]c"
    assert [c["id"] for c in multi["object"]["definition"]["choices"]] == ["a", "b", "c", "d"]


def test_passed_statement(client, teacher, make_quiz, all_types, course_tree):
    quiz = make_quiz(all_types, pass_mark_percent=80)
    client.force_login(teacher)
    attempt = take(client, quiz, RIGHT)
    [passed] = outbox(v.PASSED.id)
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1, "raw": attempt.score_raw, "min": 0, "max": attempt.score_max}
    assert isinstance(passed["result"]["score"]["raw"], int)
    assert passed["result"]["duration"].startswith("PT")
    assert passed["context"]["extensions"][v.EXT_MASTERY_SCORE] == 0.8
    assert passed["object"]["definition"]["type"] == v.ASSESSMENT
    parent = passed["context"]["contextActivities"]["parent"][0]
    assert str(course_tree["module"].translation_key) in parent["id"]
    # statements are in order: answers, then passed, then the module/course progress written by courses
    verbs = [s["verb"]["id"] for s in outbox()]
    assert verbs.index(v.PASSED.id) > max(i for i, verb in enumerate(verbs) if verb == v.ANSWERED.id)


def test_failed_statement_then_no_failed_after_pass(client, teacher, make_quiz, all_types):
    quiz = make_quiz(all_types, max_attempts=None)
    client.force_login(teacher)
    attempt = take(client, quiz, WRONG)
    [failed] = outbox(v.FAILED.id)
    assert failed["result"]["success"] is False
    assert failed["result"]["score"]["raw"] == attempt.score_raw < attempt.score_max
    take(client, quiz, RIGHT)
    take(client, quiz, WRONG)  # a retake after the pass: neither passed nor failed
    take(client, quiz, RIGHT)
    assert len(outbox(v.PASSED.id)) == 1
    assert len(outbox(v.FAILED.id)) == 1
    assert Attempt.objects.filter(passed=True).count() == 2


def test_module_completed_when_the_pass_completes_it(client, teacher, make_quiz, course_tree):
    from courses.services import complete_activity

    complete_activity(user=teacher, page=course_tree["lesson"])
    quiz = make_quiz([make_question("single")])
    client.force_login(teacher)
    take(client, quiz, RIGHT)
    completed = outbox(v.COMPLETED.id)
    module_ids = [s["object"]["id"] for s in completed]
    assert any(str(course_tree["module"].translation_key) in i for i in module_ids)


def test_statements_roll_back_with_the_answer(teacher, make_quiz, monkeypatch):
    """Written in the same transaction: if saving fails after the statements, neither is kept."""
    quiz = make_quiz([make_question("single")])
    attempt = services.start_attempt(user=teacher, quiz=quiz)
    before = OutboxStatement.objects.count()

    def boom(statements):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services, "enqueue", boom)
    with pytest.raises(RuntimeError):
        services.save_answers(user=teacher, attempt_id=attempt.pk, answers={0: "b"})
    assert not attempt.responses.exists()
    assert OutboxStatement.objects.count() == before


def _one_page_quiz(make_quiz, n: int, slug: str, unesco):
    kinds = ["single", "multiple", "true_false", "ordering", "matching", "short_text", "numeric", "likert"]
    questions = [
        make_question(kinds[i % len(kinds)], title=f"{slug}-{i}", competencies=[unesco["1.1"], unesco["2.1"]])
        for i in range(n)
    ]
    return make_quiz(questions, slug=slug, title=slug, one_question_per_page=False)


def _submit_all(client, quiz):
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key)
    data: dict = {"slot": []}
    for slot, entry in enumerate(attempt.layout):
        part = post_data(attempt, slot, RIGHT[entry["type"]])
        data["slot"].append(part.pop("slot"))
        data.update(part)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.get(url)  # warm caches (site root, locales)
    with CaptureQueriesContext(connection) as answer_queries:
        response = client.post(url, data)
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as finish_queries:
        client.post(url + "terminer/")
    attempt.refresh_from_db()
    assert attempt.responses.count() == len(attempt.layout)
    return len(answer_queries), len(finish_queries)


def test_submitting_a_20_question_quiz_takes_a_constant_number_of_queries(
    client, teacher, make_quiz, unesco, django_assert_max_num_queries
):
    client.force_login(teacher)
    small = _submit_all(client, _one_page_quiz(make_quiz, 4, "small", unesco))
    print("queries for 4 questions (answer, finish):", small)
    big_quiz = _one_page_quiz(make_quiz, 20, "big", unesco)
    client.post(big_quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=big_quiz.translation_key)
    data: dict = {"slot": []}
    for slot, entry in enumerate(attempt.layout):
        part = post_data(attempt, slot, RIGHT[entry["type"]])
        data["slot"].append(part.pop("slot"))
        data.update(part)
    url = f"{big_quiz.url}tentative/{attempt.pk}/"
    client.get(url)
    with django_assert_max_num_queries(small[0]):
        client.post(url, data)
    with django_assert_max_num_queries(small[1]):
        client.post(url + "terminer/")
    assert len(outbox(v.ANSWERED.id)) == 24
    assert len(outbox(v.PASSED.id)) == 2
    assert attempt.responses.count() == 20


def test_positioning_quiz_emits_completed_not_passed(client, teacher, make_quiz, all_types):
    quiz = make_quiz(all_types, kind="positioning", required_for_completion=False, pass_mark_percent=0)
    client.force_login(teacher)
    attempt = take(client, quiz, WRONG)
    assert attempt.passed is None
    assert not outbox(v.PASSED.id) and not outbox(v.FAILED.id)
    completed = [s for s in outbox(v.COMPLETED.id) if str(quiz.translation_key) in s["object"]["id"]]
    assert len(completed) == 1 and completed[0]["result"]["completion"] is True
