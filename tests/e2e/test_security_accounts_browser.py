"""Real Chromium: sign-up, resend and confirmation (choosing the password there) work without JavaScript errors,
pass axe-core, and the confirmed owner ends up logged in with the password they chose."""

import re

from django.core import mail

import pytest

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_resend_and_confirm_in_a_browser(page, live_server, django_user_model):
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in {"error", "warning"} else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{live_server.url}/compte/inscription/")
    assert page.get_by_label("Mot de passe").count() == 0  # chosen on confirmation, by the mailbox's owner
    page.get_by_label("Adresse électronique").fill("camille.martin@ac-toulouse.fr")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Consultez votre messagerie").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="renvoyer le lien").click()
    page.get_by_role("heading", name="Renvoyer le lien de confirmation").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Adresse électronique").fill("camille.martin@ac-toulouse.fr")
    page.get_by_role("button", name="Envoyer le lien").click()
    page.get_by_role("heading", name="Consultez votre messagerie").wait_for()
    assert len(mail.outbox) == 2

    link = re.search(r"https?://\S+/confirmer/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + link.split("example.org", 1)[1])
    page.get_by_role("heading", name="Confirmez votre adresse électronique").wait_for()
    assert axe_violations(page) == []
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill("le-mot-de-passe-de-camille")
    page.get_by_label(re.compile(r"^Confirmation du nouveau mot de passe")).fill("le-mot-de-passe-de-camille")
    page.get_by_role("button", name="Confirmer mon adresse").click()
    page.get_by_text("Votre adresse est confirmée").wait_for()
    user = django_user_model.objects.get(email="camille.martin@ac-toulouse.fr")
    assert user.is_active and user.check_password("le-mot-de-passe-de-camille")
    assert problems == []
