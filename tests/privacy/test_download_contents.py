"""What "Download my data" holds: nothing the learner has not been shown (an open attempt's token map, answer keys,
the scoring of answers not yet revealed), every CSV inert in a spreadsheet, and an index.html a teacher can read."""

import csv
import html
import io
import json
import re
import zipfile

import pytest

from assessments.models import Attempt
from privacy.export import export_user_data
from tests.assessments.conftest import (  # noqa: F401
    RIGHT,
    all_types,
    course_tree,
    make_quiz,
    post_data,
    teacher,
    unesco,
)

pytestmark = pytest.mark.django_db

MY_ANSWER = "Une hallucination, je crois"


def archive_of(user) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(export_user_data(user=user))) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def answer_some(client, quiz, *, finish: bool) -> Attempt:
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")
    url = f"{quiz.url}tentative/{attempt.pk}/"
    for slot, entry in enumerate(attempt.layout):
        if entry["type"] == "short_text":
            client.post(url, post_data(attempt, slot, MY_ANSWER))
        elif finish or entry["type"] in ("single", "multiple", "true_false"):
            client.post(url, post_data(attempt, slot, RIGHT[entry["type"]]))
    if finish:
        client.post(url + "terminer/")
    attempt.refresh_from_db()
    return attempt


def test_a_download_during_an_open_attempt_leaks_nothing(client, teacher, make_quiz, all_types):  # noqa: F811
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    attempt = answer_some(client, quiz, finish=False)
    assert attempt.is_open and attempt.responses.count() == 4
    files = archive_of(teacher)
    everything = "\n".join(files.values())
    # the per-attempt token map: none of the tokens the browser saw, nor the map itself
    tokens = [t for entry in attempt.layout for t in entry["tokens"]]
    assert tokens and not [t for t in tokens if t in everything]
    assert '"layout"' not in files["data.json"]
    # the answer keys: no correct-response pattern, not even the accepted short-text answers
    assert "correctResponsesPattern" not in everything
    assert "confabulation" not in everything
    # the scoring of answers given in the open attempt is not revealed before the attempt ends
    data = json.loads(files["data.json"])
    responses = data["assessments.Response"]
    assert len(responses) == 4
    assert all("success" not in r and "raw" not in r for r in responses)
    answered = [
        s["payload"]
        for s in data["xapi.OutboxStatement (statements about you)"]
        if s["payload"]["verb"]["id"].endswith("/answered")
    ]
    assert len(answered) == 4 and all("success" not in s.get("result", {}) for s in answered)
    # what the learner gave is there, as given
    assert any(r["value"] == MY_ANSWER for r in responses)


def test_once_submitted_the_results_shown_are_in_the_download(client, teacher, make_quiz, all_types):  # noqa: F811
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    attempt = answer_some(client, quiz, finish=True)
    assert not attempt.is_open
    data = json.loads(archive_of(teacher)["data.json"])
    assert {r["success"] for r in data["assessments.Response"]} >= {True}
    assert "layout" not in data["assessments.Attempt"][0]
    assert "correctResponsesPattern" not in json.dumps(data)


DANGEROUS = ["=1+1", "+33612345678", "-2+3", "@SUM(A1)", "\tTab", "\rRetour", "\nLigne"]


def assert_inert(cell: str) -> None:
    assert not cell or cell[0] not in "=+-@\t\r\n", repr(cell)


def test_the_csv_files_in_the_download_are_neutralised(client, teacher, make_quiz, all_types):  # noqa: F811
    teacher.first_name, teacher.last_name = DANGEROUS[0], DANGEROUS[-1]
    teacher.save()
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")
    slot = [e["type"] for e in attempt.layout].index("short_text")
    client.post(f"{quiz.url}tentative/{attempt.pk}/", post_data(attempt, slot, '=HYPERLINK("http://evil")'))
    files = archive_of(teacher)
    cells = []
    for name, text in files.items():
        if name.endswith(".csv"):
            assert text.startswith("\ufeff")
            cells += [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]
    assert "'=1+1" in cells and "'\nLigne" in cells and '\'=HYPERLINK("http://evil")' in cells
    for cell in cells:
        assert_inert(cell)


INTERNAL = [
    "lms.User",
    "courses.Enrolment",
    "is_superuser",
    "academie_id",
    "lease_owner",
    "course_key",
    "registration",
    "payload",
    "None",
    "True",
    "False",
]
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def readable_text(index: str) -> str:
    """What a person sees and what the markup says, without the inline style sheet."""
    return html.unescape(re.sub(r"<style>.*?</style>", "", index, flags=re.S))


@pytest.mark.parametrize(
    ("language", "heading", "course_heading", "answer_heading"),
    [
        ("fr", "Mes données sur la plateforme", "Vos formations et votre progression", "Votre réponse"),
        ("en", "My data on the AI & teaching platform", "Your courses and progress", "Your answer"),
    ],
)
def test_the_index_reads_like_a_page_for_a_teacher(
    client,
    teacher,  # noqa: F811
    make_quiz,  # noqa: F811
    all_types,  # noqa: F811
    course_tree,  # noqa: F811
    language,
    heading,
    course_heading,
    answer_heading,
):
    from courses.services import complete_activity, enrol

    teacher.preferred_language = language
    teacher.first_name, teacher.last_name = "Camille", "Durand"
    teacher.save()
    enrol(user=teacher, course=course_tree["course"])
    complete_activity(user=teacher, page=course_tree["lesson"])
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    answer_some(client, quiz, finish=True)
    index = archive_of(teacher)["index.html"]
    text = readable_text(index)
    assert f'<html lang="{language}">' in index
    assert heading in text and course_heading in text and answer_heading in text
    # the course and activity titles, the questions and the answers as given (option texts, the text typed)
    assert "Cours test" in text and "Leçon 1" in text and "Quiz test" in text
    assert "Prompt of the single question?" in text
    assert "Choice B text" in text and MY_ANSWER in text
    assert "Camille Durand" in text and teacher.email in text
    assert "1.1 " in text and "UNESCO" in text  # competency evidence, by code and label, with its framework
    # no internal names, ids or raw values
    assert not [name for name in INTERNAL if name in text], [name for name in INTERNAL if name in text]
    assert not UUID_RE.search(text)
    # tables scroll inside their box rather than overflow the page; a reasonable length
    assert ".scroll{overflow-x:auto" in index and text.count('<div class="scroll"><table>') == text.count("<table>")
    assert len(index) < 40_000


def test_the_readable_page_costs_the_same_queries_however_long_the_history(
    client,
    teacher,  # noqa: F811
    make_quiz,  # noqa: F811
    all_types,  # noqa: F811
    django_assert_max_num_queries,
):
    from privacy import readable

    quiz = make_quiz(all_types, max_attempts=None)
    client.force_login(teacher)
    answer_some(client, quiz, finish=True)
    with django_assert_max_num_queries(8):  # one per kind of record, whatever their number
        readable.build(teacher, language="fr")
    answer_some(client, quiz, finish=True)
    answer_some(client, quiz, finish=False)
    with django_assert_max_num_queries(8):
        view = readable.build(teacher, language="fr")
    assert len(view.attempts) == 3
