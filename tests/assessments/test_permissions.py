"""The question bank's trust model (docs/permissions.md): every role × national / Toulouse / Nantes question × view,
edit, publish, lock through the admin URLs (status and database effect); new questions belong to their author's
académie and go live through moderation; learners see and are scored against the published revision they were shown.

Preview and translation of questions belong to the question-authoring work of issue 11 (branch i11-questions).
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from django.urls import reverse

from wagtail.models import Locale, WorkflowState

import pytest

from assessments import services
from assessments.models import Question, Response
from courses.services import setup_academy
from lms.models import Academie
from tests import trust
from tests.trust import (
    COORD_NANTES,
    COORD_TOULOUSE,
    MANAGER,
    MODERATOR,
    NANTES,
    NATIONAL,
    NATIONAL_ADMIN,
    NATIONAL_EDITOR,
    TEACHER,
    TOULOUSE,
)

from .conftest import make_question, post_data

Y, N = True, False
# role: {question's owner: (view, edit, publish, lock)}
TABLE = {
    TEACHER: {NATIONAL: (N, N, N, N), TOULOUSE: (N, N, N, N), NANTES: (N, N, N, N)},
    # Coordinators propose changes to national questions (a draft; the live question is untouched), edit their own
    # académie's (live through moderation), and never see another académie's.
    COORD_TOULOUSE: {NATIONAL: (Y, Y, N, N), TOULOUSE: (Y, Y, N, Y), NANTES: (N, N, N, N)},
    COORD_NANTES: {NATIONAL: (Y, Y, N, N), TOULOUSE: (N, N, N, N), NANTES: (Y, Y, N, Y)},
    MODERATOR: {NATIONAL: (Y, Y, Y, Y), TOULOUSE: (Y, Y, Y, Y), NANTES: (Y, Y, Y, Y)},
    MANAGER: {NATIONAL: (N, N, N, N), TOULOUSE: (N, N, N, N), NANTES: (N, N, N, N)},
    NATIONAL_EDITOR: {NATIONAL: (Y, Y, Y, Y), TOULOUSE: (Y, N, N, N), NANTES: (Y, N, N, N)},
    NATIONAL_ADMIN: {NATIONAL: (Y, N, N, N), TOULOUSE: (Y, N, N, N), NANTES: (Y, N, N, N)},
}
ACTIONS = ("view", "edit", "publish", "lock")
CASES = [
    pytest.param(role, owner, action, allowed, id=f"{role}-{owner}-{action}")
    for role, by_owner in TABLE.items()
    for owner, outcomes in by_owner.items()
    for action, allowed in zip(ACTIONS, outcomes, strict=True)
]


def url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_assessments_question:{name}", args=args)


def _numeric(title: str, owner=None) -> Question:
    question = make_question("numeric", title=title, owner_academie=owner)
    question.numeric_min = question.numeric_max = Decimal("3")
    question.save()
    question.save_revision().publish()
    return Question.objects.get(pk=question.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with trust.module_world(django_db_blocker):
        people = trust.make_people()
        academies = {TOULOUSE: Academie.objects.get(name="Toulouse"), NANTES: Academie.objects.get(name="Nantes")}
        for academie in academies.values():
            setup_academy(academie=academie)
        questions = {
            NATIONAL: _numeric("Question nationale"),
            TOULOUSE: _numeric("Question toulousaine", academies[TOULOUSE]),
            NANTES: _numeric("Question nantaise", academies[NANTES]),
        }
        yield {"people": people, "questions": questions, "academies": academies}


def form(question: Question, *, title: str, right: str) -> dict:
    """What the numeric question form (`add/?type=numeric`, or the edit form of a numeric question) posts."""
    return {
        "title": title,
        "prompt": question.prompt,
        "numeric_min": right,
        "numeric_max": right,
        "general_feedback": "",
        "explanation": "",
        "source_title": "",
        "source_url": "",
        "source_date": "",
        "difficulty": "1",
        "tags": "",
    }


ADD_NUMERIC = "?locale=fr&type=numeric"  # the add view shows one form per type, chosen first


def fresh(world, owner: str) -> Question:
    """The world's question as the database has it (a test may have changed the shared object, then rolled back)."""
    return Question.objects.get(pk=world["questions"][owner].pk)


def _refused(response) -> bool:
    return response.status_code in (302, 403, 404)


@pytest.mark.parametrize(("role", "owner", "action", "allowed"), CASES)
def test_question_permissions(world, db, client, role, owner, action, allowed):
    user = world["people"][role]
    question = fresh(world, owner)
    client.force_login(user)
    revisions_before = question.revisions.count()

    if action == "view":
        response = client.get(url("inspect", question.pk))
        assert (response.status_code == 200) is allowed, response.status_code
        listing = client.get(url("list"))
        listed = listing.status_code == 200 and question.title in listing.content.decode()
        assert listed is allowed
    elif action == "edit":
        response = client.post(url("edit", question.pk), form(question, title=question.title, right="4"))
        question.refresh_from_db()
        assert (question.revisions.count() == revisions_before + 1) is allowed, response.status_code
        assert (question.get_latest_revision_as_object().numeric_max == Decimal("4")) is allowed
        assert question.numeric_max == Decimal("3")  # a draft: learners are still scored against 3
        assert question.has_unpublished_changes is allowed
        if not allowed:
            assert _refused(response)
    elif action == "publish":
        response = client.post(
            url("edit", question.pk), {**form(question, title=question.title, right="4"), "action-publish": "1"}
        )
        question.refresh_from_db()
        assert (question.numeric_max == Decimal("4")) is allowed, response.status_code
    elif action == "lock":
        response = client.post(url("lock", question.pk))
        question.refresh_from_db()
        assert question.locked is allowed, response.status_code
        if not allowed:
            assert _refused(response)


def test_the_edit_screen_offers_publish_only_to_those_who_may(world, db, client):
    question = fresh(world, NATIONAL)
    client.force_login(world["people"][COORD_TOULOUSE])
    html = client.get(url("edit", question.pk)).content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html
    client.force_login(world["people"][NATIONAL_EDITOR])
    assert 'name="action-publish"' in client.get(url("edit", question.pk)).content.decode()


def test_another_academys_question_is_not_offered_in_the_chooser(world, db, client):
    client.force_login(world["people"][COORD_TOULOUSE])
    response = client.get(reverse("wagtailsnippetchoosers_assessments_question:choose"))
    html = response.json()["html"]
    assert "Question toulousaine" in html and "Question nationale" in html
    assert "Question nantaise" not in html


def test_a_coordinators_new_question_is_their_academys_and_goes_live_through_moderation(world, db, client):
    client.force_login(world["people"][COORD_TOULOUSE])
    template = fresh(world, TOULOUSE)
    data = {**form(template, title="Nouvelle question toulousaine", right="7"), "action-submit": "1"}
    response = client.post(url("add") + ADD_NUMERIC, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Question.objects.get(title="Nouvelle question toulousaine")
    assert created.owner_academie == world["academies"][TOULOUSE]
    assert not created.live  # learners never get it before review
    state = WorkflowState.objects.get(object_id=str(created.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    # Publishing is refused to its author, approving is the moderator's.
    client.post(url("edit", created.pk), {**data, "action-publish": "1"})
    created.refresh_from_db()
    assert not created.live
    client.force_login(world["people"][MODERATOR])
    response = client.post(
        url("workflow_action", created.pk, "approve", state.current_task_state.pk), {"comment": "Relu"}
    )
    assert response.status_code in (200, 302)
    created.refresh_from_db()
    assert created.live and created.numeric_max == Decimal("7")


def test_a_national_editor_creates_national_questions(world, db, client):
    client.force_login(world["people"][NATIONAL_EDITOR])
    template = fresh(world, NATIONAL)
    data = {**form(template, title="Nouvelle question nationale", right="5"), "action-publish": "1"}
    assert client.post(url("add") + ADD_NUMERIC, data).status_code == 302
    created = Question.objects.get(title="Nouvelle question nationale")
    assert created.owner_academie is None and created.live


def test_a_user_without_academie_cannot_create_as_a_coordinator(world, db, client):
    coordinator = type(world["people"][COORD_TOULOUSE]).objects.get(pk=world["people"][COORD_TOULOUSE].pk)
    coordinator.academie = None
    coordinator.save(update_fields=["academie"])
    client.force_login(coordinator)
    assert _refused(client.get(url("add") + "?locale=fr"))


# --- Learners: the live version only, and the revision they were shown ---


@pytest.fixture
def learner(make_user, academies):
    from lms.roles import TEACHERS

    return make_user(email="eleve-prof@ac-nantes.fr", role=TEACHERS, academie=academies["Nantes"])


def test_a_draft_question_is_never_drawn_nor_shown(world, db, make_quiz, learner):
    live = fresh(world, NATIONAL)
    draft = make_question("numeric", title="Brouillon")
    Question.objects.filter(pk=draft.pk).update(live=False)
    fixed = make_quiz([live, draft])
    attempt = services.start_attempt(user=learner, quiz=fixed)
    assert [entry["question"] for entry in attempt.layout] == [live.pk]
    drawn = make_quiz([], title="Tirage", slug="tirage", draw_count=10)
    attempt = services.start_attempt(user=learner, quiz=drawn)
    assert draft.pk not in [entry["question"] for entry in attempt.layout]


def test_an_edit_published_during_an_attempt_changes_nothing_for_it(world, db, client, make_quiz, learner):
    question = fresh(world, NATIONAL)  # right answer: 3
    quiz = make_quiz([question])
    attempt = services.start_attempt(user=learner, quiz=quiz)
    assert attempt.layout[0]["revisions"][str(question.pk)] == question.live_revision_id

    # Meanwhile a national editor publishes a new right answer (4) through the admin.
    client.force_login(world["people"][NATIONAL_EDITOR])
    client.post(url("edit", question.pk), {**form(question, title=question.title, right="4"), "action-publish": "1"})
    question.refresh_from_db()
    assert question.numeric_max == Decimal("4")

    # The learner, who was shown the question whose answer is 3, answers 3: right, and the result says 3.
    client.force_login(learner)
    page = client.get(quiz.url + f"tentative/{attempt.pk}/")
    assert page.status_code == 200
    client.post(quiz.url + f"tentative/{attempt.pk}/", post_data(attempt, 0, "3"))
    response = Response.objects.get(attempt=attempt, slot=0)
    assert response.success is True and response.raw == response.max
    result = services.finish_attempt(user=learner, attempt_id=attempt.pk)
    assert result.attempt.score_scaled == 1.0

    # A new attempt is shown, and scored against, the version published since.
    second = services.start_attempt(user=learner, quiz=quiz)
    assert second.layout[0]["revisions"][str(question.pk)] == question.live_revision_id
    services.save_answers(user=learner, attempt_id=second.pk, answers={0: Decimal("3")})
    assert Response.objects.get(attempt=second, slot=0).success is False


def test_the_english_version_of_an_attempt_keeps_its_revision_too(world, db, make_quiz, learner):
    question = fresh(world, NATIONAL)
    english = question.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save()
    english.save_revision().publish()
    quiz = make_quiz([question])
    attempt = services.start_attempt(user=learner, quiz=quiz)
    assert set(attempt.layout[0]["revisions"]) == {str(question.pk), str(english.pk)}
    english = Question.objects.get(pk=english.pk)
    english.numeric_min = english.numeric_max = Decimal("9")
    english.save_revision().publish()
    from assessments.selectors import layout_questions

    shown = layout_questions(attempt=attempt, locale_id=english.locale_id)
    assert shown[0].pk == english.pk and shown[0].numeric_max == Decimal("3")


def test_a_coordinator_copies_a_national_question_into_their_academie(world, db, client):
    national = fresh(world, NATIONAL)
    client.force_login(world["people"][COORD_TOULOUSE])
    page = client.get(url("copy", national.pk))
    html = page.content.decode()
    assert page.status_code == 200 and 'value="Question nationale"' in html
    # The copy shows the form of the original's type, prefilled, and posts to the add view of that type.
    assert 'name="numeric_max"' in html and 'name="choice_1"' not in html
    action = unescape(re.search(r'<form[^>]* action="([^"]+)"[^>]*method="POST"', html).group(1))
    assert action.startswith(url("add")) and "type=numeric" in action
    data = {**form(national, title="Question nationale (Toulouse)", right="3"), "action-submit": "1"}
    # A crafted POST to the copy address cannot overwrite the original.
    assert client.post(url("copy", national.pk), data).status_code == 405
    assert client.post(action, data).status_code == 302
    copy = Question.objects.get(title="Question nationale (Toulouse)")
    assert copy.owner_academie == world["academies"][TOULOUSE] and copy.pk != national.pk
    assert fresh(world, NATIONAL).owner_academie is None and not fresh(world, NATIONAL).has_unpublished_changes
    # Nantes' question cannot even be opened for copying.
    client.force_login(world["people"][COORD_TOULOUSE])
    assert _refused(client.get(url("copy", fresh(world, NANTES).pk)))
