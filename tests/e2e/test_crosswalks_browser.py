"""Real Chromium: a national editor (frameworks are national content, edited by national editors only:
docs/permissions.md) links two frameworks on the two-tree screen (no JavaScript needed), the public page shows the
match; both pages pass axe-core and log no console error."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from competencies.importing import import_framework
from lms.roles import NATIONAL_EDITORS

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mot-de-passe-de-test"
DATA = Path(__file__).parent.parent / "competencies" / "data"


def test_author_a_crosswalk_and_see_it_on_the_public_page(page, live_server, login, django_user_model):
    from django.contrib.auth.models import Group

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    import_framework(data=(DATA / "opensalt_case11.json").read_bytes())
    user = django_user_model.objects.create_user(email="editeur@education.gouv.fr", password=PASSWORD)
    user.groups.add(Group.objects.get(name=NATIONAL_EDITORS))
    login(page, "editeur@education.gouv.fr", PASSWORD)

    page.goto(f"{live_server.url}/admin/competences/crosswalks/")
    page.get_by_label("Référentiel de gauche (origine)").select_option(label="Référentiel IA académique")
    page.get_by_label("Référentiel de droite (destination)").select_option(
        label="Référentiel de compétences en IA pour les enseignants (UNESCO, 2024)"
    )
    page.get_by_role("button", name="Afficher les deux arbres").click()
    page.get_by_role("group", name="Référentiel IA académique").get_by_role("radio", name=re.compile(r"^A ")).check()
    page.get_by_role("group", name=re.compile("UNESCO")).get_by_role("radio", name=re.compile(r"3\.1 ")).check()
    page.get_by_label("Type de lien").select_option(label="correspond exactement à")
    page.get_by_label("Source").fill("Source de test : https://example.org/table")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(page.get_by_role("button", name=re.compile(r"Supprimer le lien A\W+3\.1"))).to_have_count(1)
    expect(page.get_by_role("link", name="https://example.org/table")).to_have_count(1)
    # Wagtail fades its messages in (opacity 0 → 1 over half a second): axe judges the contrast once it is shown.
    expect(page.locator(".messages .success")).to_have_text("Lien ajouté.")
    expect(page.locator(".messages > ul")).to_have_css("opacity", "1")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/competences/unesco-aicft-2024/")
    matches = page.get_by_role("list", name="Correspondances de 3.1 dans d'autres référentiels")
    assert "correspond exactement à" in matches.inner_text()
    assert "Référentiel IA académique — A" in matches.inner_text()
    assert axe_violations(page) == []
    assert errors == []
