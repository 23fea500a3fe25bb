"""Attempts: limits, resume after log-out, double submission, two tabs, time limit, permissions, validation."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

import pytest

from assessments import services
from assessments.models import Attempt, Response
from xapi.models import OutboxStatement

from .conftest import RIGHT, WRONG, make_question, post_data

pytestmark = pytest.mark.django_db


def start(client, quiz):
    response = client.post(quiz.url + "commencer/", {"enrol": "1"})
    assert response.status_code == 302
    return Attempt.objects.filter(quiz_key=quiz.translation_key).order_by("-number").first(), response


def answered_count():
    return OutboxStatement.objects.filter(verb__endswith="/answered").count()


def test_attempt_limit_refused_with_a_clear_message(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single")], max_attempts=1)
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, WRONG["single"]))
    client.post(url + "terminer/")
    response = client.post(quiz.url + "commencer/", {"enrol": "1"}, follow=True)
    assert Attempt.objects.filter(user=teacher).count() == 1
    html = response.content.decode()
    assert "no new attempt is possible" in html or "aucune nouvelle tentative" in html
    with pytest.raises(services.QuizError):
        services.start_attempt(user=teacher, quiz=quiz)


def test_start_twice_resumes_the_same_attempt(client, teacher, make_quiz):
    """Double click on "start", or a second tab: one attempt."""
    quiz = make_quiz([make_question("single"), make_question("numeric")])
    client.force_login(teacher)
    first, r1 = start(client, quiz)
    second, r2 = start(client, quiz)
    assert first.pk == second.pk and r1["Location"] == r2["Location"]
    assert Attempt.objects.filter(user=teacher).count() == 1


def test_resume_after_logout_where_it_stopped(client, teacher, make_quiz):
    quiz = make_quiz(
        [
            make_question("single", title="Q one", prompt="First prompt?"),
            make_question("numeric", title="Q two", prompt="Second prompt?"),
        ]
    )
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, RIGHT["single"]))
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(teacher)
    page = client.get(quiz.url)
    assert "Resume my attempt" in page.content.decode() or "Reprendre" in page.content.decode()
    again, _ = start(client, quiz)
    assert again.pk == attempt.pk
    html = client.get(url).content.decode()
    assert "Second prompt?" in html and "First prompt?" not in html
    assert Response.objects.get(attempt=attempt).slot == 0


def test_back_and_resubmit_keeps_the_first_answer(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("numeric")])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, RIGHT["single"]))
    response = client.post(url, post_data(attempt, 0, WRONG["single"]), follow=True)
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert Response.objects.get(attempt=attempt).value == RIGHT["single"]
    assert answered_count() == 1
    html = response.content.decode()
    assert "already answered" in html or "déjà répondu" in html


def test_submitting_the_attempt_twice_changes_nothing(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single")])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, RIGHT["single"]))
    client.post(url + "terminer/")
    client.post(url + "terminer/")
    assert OutboxStatement.objects.filter(verb__endswith="/passed").count() == 1
    # an answer after submission is refused
    response = client.post(url, post_data(attempt, 0, WRONG["single"]), follow=True)
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert response.redirect_chain[-1][0].endswith("resultats/")


def test_cannot_finish_with_unanswered_questions(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("numeric")])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url + "terminer/")
    attempt.refresh_from_db()
    assert attempt.is_open


def test_answers_after_the_time_limit_are_refused(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("numeric")], time_limit_minutes=10)
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    assert attempt.deadline is not None
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, RIGHT["single"]))
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=11), deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.post(url, post_data(attempt, 1, RIGHT["numeric"]), follow=True)
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.expired
    assert Response.objects.filter(attempt=attempt).count() == 1  # the late answer is not recorded
    assert (attempt.score_raw, attempt.score_max) == (1, 2)  # unanswered counts as nothing earned
    html = response.content.decode()
    assert "Time is up" in html or "temps est écoulé" in html.lower()


def test_time_up_while_away_submits_on_return(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single")], time_limit_minutes=1)
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(f"{quiz.url}tentative/{attempt.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("resultats/")
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.passed is False


def test_no_learner_reads_another_learners_attempt(client, teacher, other_teacher, make_quiz):
    quiz = make_quiz([make_question("single")], feedback_timing="after_each")
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    client.post(url, post_data(attempt, 0, RIGHT["single"]))
    client.post(url + "terminer/")
    client.force_login(other_teacher)
    for suffix in ("", "resultats/", "retour/0/"):
        assert client.get(url + suffix).status_code == 404
    assert client.post(url, post_data(attempt, 0, WRONG["single"])).status_code == 404
    assert client.post(url + "terminer/").status_code == 404
    with pytest.raises(services.QuizError):
        services.save_answers(user=other_teacher, attempt_id=attempt.pk, answers={0: "a"})


def test_anonymous_is_sent_to_log_in(client, make_quiz):
    quiz = make_quiz([make_question("single")])
    assert client.get(quiz.url).status_code == 200
    response = client.post(quiz.url + "commencer/", {"enrol": "1"})
    assert response.status_code == 302 and "connexion" in response["Location"] or "login" in response["Location"]
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("single", {}, "Choisissez une réponse."),
        ("multiple", {}, "Cochez au moins une réponse."),
        ("numeric", {"q0": "douze"}, "Saisissez un nombre, par exemple 12 ou 3,5."),
        ("short_text", {"q0": "   "}, "Saisissez votre réponse."),
        ("single", {"q0": "forged-token"}, "ne fait pas partie des choix proposés"),
    ],
)
def test_validation_errors_are_tied_to_the_fields(client, teacher, make_quiz, kind, data, message):
    quiz = make_quiz([make_question(kind)])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    response = client.post(f"{quiz.url}tentative/{attempt.pk}/", {"slot": "0", **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'class="error-summary" role="alert" tabindex="-1" id="erreurs" autofocus' in html
    assert 'href="#q0-0"' in html  # the summary links to the first input
    assert 'id="q0-error"' in html and 'aria-describedby="q0-error"' in html or "q0-hint q0-error" in html
    assert 'aria-invalid="true"' in html
    assert not Response.objects.exists()


def test_ordering_tie_is_refused_and_nothing_recorded(client, teacher, make_quiz):
    quiz = make_quiz([make_question("ordering")])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    data = post_data(attempt, 0, RIGHT["ordering"])
    names = sorted(k for k in data if k.startswith("q0-"))
    data[names[0]] = data[names[1]]  # two items at the same position
    html = client.post(f"{quiz.url}tentative/{attempt.pk}/", data).content.decode()
    assert "same position" in html or "même position" in html
    assert not Response.objects.exists()
    # what was chosen is shown again
    assert html.count("selected") >= 4


def test_matching_must_match_every_source(client, teacher, make_quiz):
    quiz = make_quiz([make_question("matching")])
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    data = post_data(attempt, 0, {"s1": "t1", "s2": "t2"})
    html = client.post(f"{quiz.url}tentative/{attempt.pk}/", data).content.decode()
    assert "every item" in html or "chaque élément" in html
    assert not Response.objects.exists()


def test_one_page_mode_saves_the_valid_answers_and_reshows_the_others(client, teacher, make_quiz):
    quiz = make_quiz([make_question("single"), make_question("numeric")], one_question_per_page=False)
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    data = {**post_data(attempt, 0, RIGHT["single"]), "slot": ["0", "1"], "q1": "pas un nombre"}
    html = client.post(f"{quiz.url}tentative/{attempt.pk}/", data).content.decode()
    assert Response.objects.get(attempt=attempt).slot == 0
    assert 'name="q1"' in html and 'name="q0"' not in html


def test_feedback_after_each_question(client, teacher, make_quiz):
    q = make_question("single", explanation="The explanation text", source_title="A source")
    quiz = make_quiz([q, make_question("numeric")], feedback_timing="after_each")
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    response = client.post(url, post_data(attempt, 0, WRONG["single"]))
    assert response["Location"].endswith("retour/0/")
    html = client.get(response["Location"]).content.decode()
    assert "FEEDBACK-a-SECRET" in html and "The explanation text" in html and "A source" in html
    # the next question's page carries no feedback
    next_html = client.get(url).content.decode()
    assert "FEEDBACK" not in next_html and "explanation" not in next_html.lower()
    # feedback for an unanswered slot is not available
    assert client.get(url + "retour/1/")["Location"] == url


def test_results_page_shows_score_competencies_and_next_step(client, teacher, make_quiz, all_types, unesco):
    quiz = make_quiz(all_types)
    client.force_login(teacher)
    attempt, _ = start(client, quiz)
    url = f"{quiz.url}tentative/{attempt.pk}/"
    answers = dict(RIGHT, matching=WRONG["matching"])
    for slot, entry in enumerate(attempt.layout):
        client.post(url, post_data(attempt, slot, answers[entry["type"]]))
    client.post(url + "terminer/")
    html = client.get(url + "resultats/").content.decode()
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.score_raw == attempt.score_max - 3
    assert f"Votre score\u00a0: {attempt.score_raw} points sur {attempt.score_max}" in html
    # 1.1 (every answer right) is secured; 2.1 (matching, all wrong) is to work on
    competencies = html.split("<h2>Compétences</h2>")[1].split("<h2>")[0]
    secured, to_work = competencies.split("Pas encore acquises")
    assert ">1.1<" in secured and ">2.1<" not in secured
    assert ">2.1<" in to_work and ">1.1<" not in to_work
    # per-choice feedback and the right answer of the missed question are shown after submission
    assert "FEEDBACK-b-SECRET" in html and "Target one" in html


def test_random_draw_from_the_bank_by_competency_and_tag(teacher, make_quiz, unesco):
    from wagtail.models import Locale

    pool = [
        make_question("single", title=f"pool-{i}", competencies=[unesco["3.2"]], tags="pool, demo") for i in range(6)
    ]
    make_question("single", title="other competency", competencies=[unesco["5.1"]], tags="pool")
    make_question("single", title="no tag", competencies=[unesco["3.2"]])
    make_question(
        "single",
        title="english",
        competencies=[unesco["3.2"]],
        tags="pool",
        locale=Locale.objects.get(language_code="en"),
    )
    quiz = make_quiz([], draw_count=4, draw_tag="Pool", max_attempts=None)
    quiz.draw_competencies = [unesco["3.2"]]
    quiz.save()
    seen = set()
    for seed in range(3):
        attempt = services.start_attempt(user=teacher, quiz=quiz, rng=random.Random(seed))  # noqa: S311
        drawn = {entry["question"] for entry in attempt.layout}
        assert len(drawn) == 4 and drawn <= {q.pk for q in pool}
        seen |= drawn
        for slot in range(4):
            services.save_answers(user=teacher, attempt_id=attempt.pk, answers={slot: "b"})
        services.finish_attempt(user=teacher, attempt_id=attempt.pk)
    assert len(seen) > 4  # different attempts draw different questions (seeded: deterministic)


def test_shuffled_questions_and_choices(teacher, make_quiz):
    from assessments.selectors import build_layout

    questions = [make_question("single", title=f"s{i}") for i in range(8)]
    fixed = build_layout(questions, shuffle_questions=False, shuffle_choices=False, rng=random.Random(1))
    assert [e["question"] for e in fixed] == [q.pk for q in questions]
    assert [fixed[0]["tokens"][t] for t in fixed[0]["order"]] == ["a", "b", "c", "d"]
    shuffled = build_layout(questions, shuffle_questions=True, shuffle_choices=True, rng=random.Random(1))
    assert [e["question"] for e in shuffled] != [q.pk for q in questions]
    assert any([e["tokens"][t] for t in e["order"]] != ["a", "b", "c", "d"] for e in shuffled)


def test_french_by_default_english_complete(client, teacher, make_quiz, course_tree):
    from wagtail.models import Locale

    fr_q = make_question("numeric", prompt="Combien ?")
    make_question(
        "numeric",
        prompt="How many?",
        translation_key=fr_q.translation_key,
        locale=Locale.objects.get(language_code="en"),
    )
    quiz = make_quiz([fr_q], max_attempts=2, time_limit_minutes=5)
    en_quiz = quiz.copy_for_translation(Locale.objects.get(language_code="en"))
    en_quiz.save_revision().publish()
    client.force_login(teacher)
    fr_html = client.get(quiz.url).content.decode()
    assert "M'inscrire et commencer le quiz" in fr_html and "2 tentatives au plus" in fr_html and "5 minutes" in fr_html
    en_html = client.get(en_quiz.url).content.decode()
    assert en_quiz.url.startswith("/en/")
    assert "Enrol and start the quiz" in en_html and "2 attempts at most" in en_html
    client.post(en_quiz.url + "start/", {"enrol": "1"})
    attempt = Attempt.objects.get()
    html = client.get(f"{en_quiz.url}attempt/{attempt.pk}/").content.decode()
    assert "How many?" in html and "Question 1 of 1" in html and "Save my answer" in html
    error = client.post(f"{en_quiz.url}attempt/{attempt.pk}/", {"slot": "0", "q0": "x"}).content.decode()
    assert "Type a number" in error
    # the same attempt, resumed in French, shows the French question
    html = client.get(f"{quiz.url}tentative/{attempt.pk}/").content.decode()
    assert "Combien ?" in html and "Enregistrer ma réponse" in html
