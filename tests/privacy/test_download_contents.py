"""What "Download my data" holds: nothing the learner has not been shown (an open attempt's token map, answer keys,
the scoring of answers not yet revealed), every CSV inert in a spreadsheet, and an index.html a teacher can read."""

import csv
import io
import json
import zipfile

import pytest

from assessments.models import Attempt
from privacy.services import export_user_data
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
    client.post(quiz.url + "commencer/")
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
    client.post(quiz.url + "commencer/")
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
