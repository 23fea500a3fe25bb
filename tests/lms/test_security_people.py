"""Item 7 of issue 12: the managers' People search answers only within their académie, by e-mail in a POST."""

import re

from django.urls import reverse

import pytest

from lms.roles import ACADEMY_MANAGERS, NATIONAL_ADMINS


@pytest.fixture
def people(make_user, academies):
    return {
        "manager": make_user(email="gestion@ac-toulouse.fr", role=ACADEMY_MANAGERS, academie=academies["Toulouse"]),
        "newcomer": make_user(email="camille@laposte.net", first_name="Camille", last_name="Martin"),
        "own": make_user(email="prof@ac-toulouse.fr", academie=academies["Toulouse"]),
        "other": make_user(email="prof@ac-nantes.fr", academie=academies["Nantes"]),
    }


def _search(client, email):
    return client.post(reverse("lms_people"), {"email": email})


def _answer(response, email) -> str:
    """The result block of the page, with the address searched for blanked."""
    text = response.content.decode()
    block = re.search(r'<div role="status">(.*?)</div>', text, re.S).group(1)
    return block.replace(email, "ADDRESS")


def test_search_never_reveals_an_account_of_another_academie(client, people):
    client.force_login(people["manager"])
    elsewhere = _search(client, "prof@ac-nantes.fr")
    nobody = _search(client, "personne@ac-nantes.fr")
    assert elsewhere.status_code == nobody.status_code == 200
    assert _answer(elsewhere, "prof@ac-nantes.fr") == _answer(nobody, "personne@ac-nantes.fr")
    assert "Nantes" not in elsewhere.content.decode()
    # Nor through an attach request naming that person: the same refusal as for a person who does not exist.
    response = client.post(reverse("lms_people"), {"user": people["other"].pk}, follow=True)
    missing = client.post(reverse("lms_people"), {"user": 999999}, follow=True)
    garbage = client.post(reverse("lms_people"), {"user": "1 OR 1=1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [str(m) for m in missing.context["messages"]]
    assert [str(m) for m in garbage.context["messages"]] == [str(m) for m in missing.context["messages"]]
    people["other"].refresh_from_db()
    assert people["other"].academie.name == "Nantes"


def test_search_is_by_exact_address_in_a_post_never_in_the_url(client, people):
    client.force_login(people["manager"])
    page = client.get(reverse("lms_people"), {"email": "camille@laposte.net"}).content.decode()
    assert 'method="post"' in page and "camille@laposte.net" not in page  # a query string finds nothing
    assert "Camille" not in _answer_or_empty(_search(client, "camille@laposte"))
    found = _search(client, "Camille@LaPoste.net")
    assert "camille@laposte.net" in _answer(found, "nothing") and 'name="user"' in found.content.decode()
    client.post(reverse("lms_people"), {"user": people["newcomer"].pk})
    people["newcomer"].refresh_from_db()
    assert people["newcomer"].academie.name == "Toulouse"


def _answer_or_empty(response) -> str:
    match = re.search(r'<div role="status">(.*?)</div>', response.content.decode(), re.S)
    return match.group(1) if match else ""


def test_a_national_administrator_finds_anyone(client, people, make_user):
    client.force_login(make_user(email="national@education.gouv.fr", role=NATIONAL_ADMINS))
    assert "prof@ac-nantes.fr" in _answer(_search(client, "prof@ac-nantes.fr"), "nothing")


def test_the_people_screen_is_in_french(client, people):
    client.force_login(people["manager"])
    page = client.get(reverse("lms_people")).content.decode()
    for english in ("Attach a person", "For a teacher whose", "E-mail address", ">Search<", ">People<", "Nobody yet"):
        assert english not in page, english
    assert "Rattacher une personne à Toulouse" in page and "Rechercher" in page
    result = _search(client, "personne@ac-nantes.fr").content.decode()
    assert "Aucun compte que vous pouvez rattacher" in result
