"""Results pages and the competency profile agree: positioning answers are positioning evidence, module quiz results
link to the profile page and give the profile's state and reason."""

import pytest

from assessments.models import Attempt, QuizKind
from competencies.models import Evidence, EvidenceKind
from courses.models import Enrolment

from .conftest import RIGHT, make_question, post_data

pytestmark = pytest.mark.django_db


def _take(client, quiz, answer, *, enrol=True):
    client.post(quiz.url + "commencer/", {"enrol": "1"} if enrol else {})
    attempt = Attempt.objects.get(quiz_key=quiz.translation_key, state="in_progress")
    url = f"{quiz.url}tentative/{attempt.pk}/"
    for slot in range(len(attempt.layout)):
        client.post(url, post_data(attempt, slot, answer))
    client.post(url + "terminer/")
    return client.get(url + "resultats/").content.decode()


def test_starting_a_quiz_asks_before_enrolling(client, teacher, make_quiz, unesco):
    quiz = make_quiz(
        [make_question("single", competencies=[unesco["2.2"]])],
        kind=QuizKind.POSITIONING,
        required_for_completion=False,
    )
    client.force_login(teacher)
    page = client.get(quiz.url).content.decode()
    assert "Commencer ce quiz vous inscrit à la formation" in page and "M'inscrire et commencer le quiz" in page
    response = client.post(quiz.url + "commencer/")
    assert response.status_code == 302 and response.url == quiz.url
    assert not Enrolment.objects.exists() and not Attempt.objects.exists()
    client.post(quiz.url + "commencer/", {"enrol": "1"})
    assert Enrolment.objects.filter(user=teacher).count() == 1


def test_positioning_results_never_say_secured_on_one_answer(client, teacher, make_quiz, unesco):
    quiz = make_quiz(
        [make_question("single", competencies=[unesco["2.2"]])],
        kind=QuizKind.POSITIONING,
        required_for_completion=False,
    )
    client.force_login(teacher)
    html = _take(client, quiz, RIGHT["single"])
    assert Evidence.objects.get().kind == EvidenceKind.POSITIONING
    verdicts = html.split('<ul class="verdicts">')[1].split("</ul>")[0]
    assert "trop peu de réponses pour conclure" in verdicts
    assert "acquise" not in verdicts.lower() and "à l'aise" not in verdicts.lower()
    assert 'href="/competences/mon-profil/"' in html


def test_module_results_show_the_profile_state_and_why(client, teacher, make_quiz, unesco):
    quiz = make_quiz([make_question("single", competencies=[unesco["2.2"]]) for _ in range(3)])
    client.force_login(teacher)
    html = _take(client, quiz, RIGHT["single"])
    why = "3 bonnes réponses sur 3 questions (100\u00a0%)"
    assert why in html and "badge-secured" in html
    assert 'href="/competences/mon-profil/"' in html and "/compte/profil/" not in html.split("<main")[1]
    assert why in client.get("/competences/mon-profil/").content.decode()
