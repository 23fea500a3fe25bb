"""Real Chromium: a coordinator creates a training session, uploads its participants, sees the preview and confirms;
the trainer sees the group, filters it, sends a reminder (the e-mail is captured). axe-core finds nothing on the new
pages, in French and English. Any console error or CSP violation fails the test."""

import re

import pytest

from tests.cohorts.conftest import PASSWORD, SessionWorld, csv_bytes, group, sessions  # noqa: F401
from tests.courses.conftest import build_course  # noqa: F401

from .conftest import axe_violations, set_admin_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url} console: {m.text[:160]}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url} pageerror: {e}"))
    return problems


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()
    page.wait_for_load_state()


def assert_axe_clean(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def test_coordinator_creates_a_session_and_enrols_participants(page, live_server, sessions, tmp_path):  # noqa: F811
    problems = watch(page)
    log_in(page, live_server, sessions.coordinator.email)
    page.goto(f"{live_server.url}/admin/training_sessions/")
    assert page.get_by_role("link", name="IA en classe — Toulouse 2026").is_visible()
    assert page.get_by_text("IA en classe — Nantes 2026").count() == 0
    assert_axe_clean(page)
    page.goto(f"{live_server.url}/admin/training_sessions/new/")
    page.get_by_role("textbox", name=re.compile("^Titre")).fill("Session de janvier")
    page.get_by_role("combobox", name=re.compile("^Parcours")).select_option(label=sessions.course.title)
    page.get_by_role("textbox", name=re.compile("^Dispositif GAIA")).fill("26A0160099")
    page.get_by_role("textbox", name=re.compile("^Début le")).fill("2027-01-11")
    page.get_by_role("textbox", name=re.compile("^Fin le")).fill("2027-02-26")
    page.keyboard.press("Escape")  # close the date picker
    page.get_by_role("textbox", name=re.compile("^Titre")).click()
    page.get_by_role("checkbox", name="Claire Formatrice").check()
    assert_axe_clean(page)
    page.get_by_role("button", name="Créer", exact=True).click()
    page.wait_for_load_state()
    row = page.get_by_role("row", name=re.compile("Session de janvier"))
    row.get_by_role("link", name="Participants et inscription").click()
    page.wait_for_load_state()

    t1, n1 = sessions.etabs["t1"].uai, sessions.etabs["n1"].uai
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            [
                "Nom;Prénom;Courriel;UAI",
                f"Éluard;Paul;paul@ac-toulouse.fr;{t1}",
                f"Sand;George;george@ac-toulouse.fr;{n1}",
            ],
            encoding="cp1252",
        )
    )
    page.get_by_label("Fichier des participants (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Aperçu").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").filter(has_text="Ligne 3, UAI")
    assert alert.is_visible() and "Nantes" in alert.inner_text()
    assert page.get_by_role("button", name=re.compile("Confirmer")).count() == 0

    good = tmp_path / "good.csv"
    good.write_bytes(
        csv_bytes(
            [
                "Nom;Prénom;Courriel;UAI",
                f"Éluard;Paul;paul@ac-toulouse.fr;{t1}",
                f"Sand;George;george@ac-toulouse.fr;{t1}",
            ],
            encoding="cp1252",
        )
    )
    page.get_by_label("Fichier des participants (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Aperçu").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="compte créé").count() == 2
    assert_axe_clean(page)
    page.get_by_role("button", name="Confirmer : créer les comptes et inscrire tout le monde").click()
    page.wait_for_load_state()
    assert page.get_by_text("2 comptes créés, 0 compte existant retrouvé").is_visible()
    assert page.get_by_role("cell", name="paul@ac-toulouse.fr").is_visible()

    set_admin_language(sessions.coordinator, "en")
    for path in ("/admin/training_sessions/", "/admin/training_sessions/new/", page.url.replace(live_server.url, "")):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_axe_clean(page)
    assert problems == []


def test_trainer_sees_the_group_filters_and_sends_a_reminder(page, live_server, sessions, group, mailoutbox):  # noqa: F811
    problems = watch(page)
    trainer = sessions.trainer
    log_in(page, live_server, trainer.email)
    page.goto(f"{live_server.url}/apprendre/")
    page.get_by_role("link", name="Les sessions de formation que je suis").click()
    page.wait_for_load_state()
    assert_axe_clean(page)
    page.get_by_role("link", name="IA en classe — Toulouse 2026").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name=re.compile("participants affichés"))
    for name in ("Alice Avril", "Bruno Bernard", "Chloé Chevalier", "David Durand"):
        assert table.get_by_role("rowheader", name=re.compile(name)).is_visible()
    assert page.get_by_role("img", name="Participants par module").is_visible()
    assert_axe_clean(page)

    page.get_by_label("Afficher").select_option(label="pas commencé")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name=re.compile("2 participants affichés"))
    assert table.get_by_role("rowheader", name=re.compile("Chloé Chevalier")).is_visible()
    assert table.get_by_role("rowheader", name=re.compile("Alice Avril")).count() == 0

    page.get_by_label("Alice Avril présent(e)").check()
    page.get_by_role("button", name=re.compile("Enregistrer la présence")).click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("Présence enregistrée")).is_visible()
    assert page.get_by_label("Alice Avril présent(e)").is_checked()

    invitations = len(mailoutbox)  # the participants' invitations, sent when they were enrolled
    page.get_by_role("button", name="Envoyer une relance à ceux qui n’ont pas commencé").click()
    page.wait_for_load_state()
    assert page.get_by_text("Une relance a été envoyée à 2 participants.").is_visible()
    reminders = mailoutbox[invitations:]
    assert sorted(m.to[0] for m in reminders) == ["chloe@ac-toulouse.fr", "david@ac-toulouse.fr"]
    assert "IA en classe — Toulouse 2026" in reminders[0].body
    page.get_by_role("button", name="Envoyer une relance à ceux qui n’ont pas commencé").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("déjà été relancés")).is_visible()
    assert len(mailoutbox) == invitations + 2

    detail = page.url.replace(live_server.url, "")
    page.goto(live_server.url + "/en" + detail.replace("/sessions-de-formation/", "/training-sessions/"))
    assert page.get_by_role("heading", name="The group at a glance").is_visible()
    assert_axe_clean(page)
    page.goto(f"{live_server.url}/en/training-sessions/")
    assert_axe_clean(page)
    assert problems == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_participant_sees_the_session_on_the_course_page(page, live_server, sessions, group, language):  # noqa: F811
    problems = watch(page)
    alice = group["Alice"]
    alice.set_password(PASSWORD)
    alice.save()
    log_in(page, live_server, alice.email)
    prefix = "" if language == "fr" else "/en"
    page.goto(
        f"{live_server.url}{prefix}{sessions.course.url}" if language == "fr" else f"{live_server.url}/en/learning/"
    )
    assert page.get_by_text("Claire Formatrice").is_visible()
    assert page.get_by_text(re.compile("Canopé Toulouse, salle 2")).is_visible()
    assert_axe_clean(page)
    assert problems == []
