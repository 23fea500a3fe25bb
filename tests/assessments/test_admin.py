"""The question bank in the admin: coordinators author it; options are checked against the question type."""

from __future__ import annotations

from django.contrib.auth.models import Group

import pytest

from assessments.models import option_problems
from lms import roles

from .conftest import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user, academies):
    return make_user(email="coordo@ac-toulouse.fr", role=roles.COORDINATORS, academie=academies["Toulouse"])


def test_coordinators_and_national_editors_author_the_bank_and_only_editors_publish():
    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    for role in (roles.COORDINATORS, roles.NATIONAL_EDITORS):
        assert {"add_question", "change_question", "view_question"} <= codenames(role)
    assert "publish_question" in codenames(roles.NATIONAL_EDITORS)
    assert "publish_question" not in codenames(roles.COORDINATORS)  # their questions go live through moderation
    assert codenames(roles.NATIONAL_ADMINS) & {"add_question", "change_question", "view_question"} == {"view_question"}
    assert not Group.objects.get(name=roles.TEACHERS).permissions.filter(codename="add_question").exists()


def test_bank_list_filter_add_and_edit_pages(client, coordinator, unesco):
    question = make_question("ordering", title="Ordonner les étapes", competencies=[unesco["3.1"]])
    make_question("single", title="Une question à choix")
    client.force_login(coordinator)
    listing = client.get("/admin/snippets/assessments/question/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Ordonner les étapes" in html and "Une question à choix" in html
    filtered = client.get("/admin/snippets/assessments/question/", {"question_type": "ordering"}).content.decode()
    assert "Ordonner les étapes" in filtered and "Une question à choix" not in filtered
    by_competency = client.get("/admin/snippets/assessments/question/", {"competencies": unesco["3.1"].pk})
    assert "Une question à choix" not in by_competency.content.decode()
    assert client.get("/admin/snippets/assessments/question/add/").status_code == 200
    assert client.get(f"/admin/snippets/assessments/question/edit/{question.pk}/").status_code == 200


def test_teachers_have_no_access_to_the_bank(client, teacher):
    client.force_login(teacher)
    assert client.get("/admin/snippets/assessments/question/").status_code in (302, 403)


def _o(role, key, **kw):
    return {"role": role, "key": key, **kw}


@pytest.mark.parametrize(
    ("kind", "options", "ok"),
    [
        ("single", [_o("choice", "a", correct=True), _o("choice", "b")], True),
        ("single", [_o("choice", "a", correct=True), _o("choice", "b", correct=True)], False),
        ("single", [_o("choice", "a"), _o("choice", "a", correct=True)], False),
        ("true_false", [_o("choice", "true"), _o("choice", "false", correct=True)], True),
        ("true_false", [_o("choice", "yes"), _o("choice", "no", correct=True)], False),
        ("multiple", [_o("choice", "a", correct=True), _o("choice", "b")], True),
        ("multiple", [_o("choice", "a"), _o("choice", "b")], False),
        ("ordering", [_o("item", "x")], False),
        ("matching", [_o("source", "s", match_key="t"), _o("target", "t")], True),
        ("matching", [_o("source", "s", match_key="nope"), _o("target", "t")], False),
        ("likert", [_o("scale", "1"), _o("scale", "2")], True),
    ],
)
def test_option_problems(kind, options, ok):
    assert (option_problems(kind, options) == []) is ok
