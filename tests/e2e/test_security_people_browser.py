"""Real Chromium: a manager attaches a teacher from "People of my académie", in French, the address never in a URL."""

import pytest

from lms.roles import ACADEMY_MANAGERS

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mot-de-passe-de-test"


def test_a_manager_searches_and_attaches_in_french(page, live_server, login, django_user_model, academies):
    from django.contrib.auth.models import Group

    manager = django_user_model.objects.create_user(
        email="gestion@ac-toulouse.fr", password=PASSWORD, academie=academies["Toulouse"]
    )
    manager.groups.add(Group.objects.get(name=ACADEMY_MANAGERS))
    newcomer = django_user_model.objects.create_user(email="camille@laposte.net", first_name="Camille")
    django_user_model.objects.create_user(email="prof@ac-nantes.fr", academie=academies["Nantes"])
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "gestion@ac-toulouse.fr", PASSWORD)

    page.goto(f"{live_server.url}/admin/academie/personnes/")
    page.get_by_role("heading", name="Rattacher une personne à Toulouse").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Adresse électronique").fill("prof@ac-nantes.fr")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_text("Aucun compte que vous pouvez rattacher").wait_for()
    assert "@" not in page.url
    page.get_by_label("Adresse électronique").fill("camille@laposte.net")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="Rattacher à Toulouse").click()
    page.get_by_text("camille@laposte.net est désormais rattaché(e)").wait_for()
    assert "@" not in page.url
    newcomer.refresh_from_db()
    assert newcomer.academie.name == "Toulouse"
    assert errors == [], errors
