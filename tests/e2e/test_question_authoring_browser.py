"""A training coordinator creates each of the eight question types in real Chromium, through the admin, by visible
labels only; each is saved as a draft (live only once reviewed); any console error (a Content Security Policy
violation included) fails the test."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Question
from lms import roles
from tests.assessments.conftest import unesco  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def coordinator(make_user, academies):
    return make_user(
        email="coordo@ac-toulouse.fr", password=PASSWORD, role=roles.COORDINATORS, academie=academies["Toulouse"]
    )


@pytest.fixture
def console_errors(page):
    """Every console error and uncaught exception of the page (CSP violations are console errors)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def new_question(page, base_url: str, type_label: str, title: str, prompt: str) -> None:
    page.goto(f"{base_url}/admin/snippets/assessments/question/")
    page.get_by_role("link", name="Ajouter un(e) question", exact=True).click()
    page.get_by_role("link", name=type_label, exact=True).click()
    page.get_by_label(re.compile(r"^Titre\W*$")).fill(title)  # required fields end with an asterisk
    page.get_by_label(re.compile(r"^Question\W*$")).fill(prompt)


SAVE_DRAFT = "Enregistrer le brouillon"  # a coordinator's question is a draft until reviewed (docs/permissions.md)


def save(page) -> None:
    """Save the new question as a draft: Wagtail then opens its edit form."""
    page.get_by_role("button", name=SAVE_DRAFT, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/snippets/assessments/question/edit/\d+/(\?.*)?$"))


def test_a_coordinator_creates_the_eight_question_types(live_server, page, login, coordinator, console_errors):
    url = live_server.url
    login(page, coordinator.email, PASSWORD)

    new_question(page, url, "Choix unique", "Biais", "Qu'est-ce qu'un biais ?")
    page.get_by_role("textbox", name="Choix 1", exact=True).fill("Une panne")
    page.get_by_role("textbox", name="Choix 2", exact=True).fill("Une tendance systématique")
    page.get_by_role("checkbox", name="Le choix 2 est une bonne réponse", exact=True).check()
    page.get_by_role("textbox", name="Feedback du choix 2", exact=True).fill("Oui.")
    save(page)

    new_question(page, url, "Choix multiples", "Données personnelles", "Lesquelles ?")
    page.get_by_role("textbox", name="Choix 1", exact=True).fill("Le nom")
    page.get_by_role("checkbox", name="Le choix 1 est une bonne réponse", exact=True).check()
    page.get_by_role("textbox", name="Choix 2", exact=True).fill("La météo")
    page.get_by_role("textbox", name="Choix 3", exact=True).fill("L'adresse")
    page.get_by_role("checkbox", name="Le choix 3 est une bonne réponse", exact=True).check()
    save(page)

    new_question(page, url, "Vrai ou faux", "Hallucinations", "Un modèle peut inventer des sources.")
    page.get_by_role("radio", name="Vrai", exact=True).check()
    page.get_by_role("textbox", name="Feedback si «\xa0Vrai\xa0»", exact=True).fill("En effet.")
    save(page)

    new_question(page, url, "Remise en ordre", "Étapes", "Remettez dans l'ordre.")
    for n, text in enumerate(["Définir l'objectif", "Rédiger l'invite", "Vérifier"], start=1):
        page.get_by_role("textbox", name=f"Élément {n}", exact=True).fill(text)
    save(page)

    new_question(page, url, "Appariement", "Notions", "Associez.")
    page.get_by_role("textbox", name="Élément à associer 1", exact=True).fill("RGPD")
    page.get_by_role("textbox", name="Réponse associée 1", exact=True).fill("Données personnelles")
    page.get_by_role("textbox", name="Élément à associer 2", exact=True).fill("AI Act")
    page.get_by_role("textbox", name="Réponse associée 2", exact=True).fill("Intelligence artificielle")
    save(page)

    new_question(page, url, "Réponse courte", "Terme", "Une réponse inventée s'appelle ?")
    page.get_by_role("textbox", name="Réponses acceptées", exact=True).fill("hallucination\nconfabulation")
    save(page)

    new_question(page, url, "Réponse numérique", "Année", "En quelle année ?")
    page.get_by_role("spinbutton", name="Plus petite valeur juste", exact=True).fill("2024")
    page.get_by_role("spinbutton", name="Plus grande valeur juste", exact=True).fill("2024")
    save(page)

    new_question(page, url, "Échelle d'opinion (non notée)", "Confiance", "J'ai confiance dans l'IA.")
    save(page)  # the five usual points are there already

    by_type = {q.question_type: q for q in Question.objects.prefetch_related("options")}
    assert sorted(by_type) == sorted(
        ["single", "multiple", "true_false", "ordering", "matching", "short_text", "numeric", "likert"]
    )
    assert by_type["single"].spec().correct == frozenset({"b"})
    assert by_type["multiple"].spec().correct == frozenset({"a", "c"})
    assert by_type["true_false"].spec().correct == frozenset({"true"})
    assert [o.text for o in by_type["ordering"].options.all()] == ["Définir l'objectif", "Rédiger l'invite", "Vérifier"]
    assert len(by_type["matching"].spec().pairs) == 2
    assert by_type["short_text"].accepted_list() == ["hallucination", "confabulation"]
    assert by_type["numeric"].numeric_range() == (Decimal("2024"), Decimal("2024"))
    assert len(by_type["likert"].options.all()) == 5
    assert not any(q.live for q in by_type.values())  # drafts: learners get none of them before review
    assert console_errors == []


def test_errors_name_the_field_and_nothing_is_saved(live_server, page, login, coordinator, console_errors):
    login(page, coordinator.email, PASSWORD)
    new_question(page, live_server.url, "Choix unique", "Sans réponse", "Laquelle ?")
    page.get_by_role("textbox", name="Choix 1", exact=True).fill("A")
    page.get_by_role("textbox", name="Choix 2", exact=True).fill("B")
    page.get_by_role("button", name=SAVE_DRAFT, exact=True).click()
    error = page.get_by_text("pour l’un des choix.")
    expect(error).to_be_visible()
    assert error.inner_text().replace("\xa0", " ").strip() == "Cochez « bonne réponse » pour l’un des choix."
    assert not Question.objects.exists()
    assert console_errors == []


def test_the_competency_chooser_adds_competencies(live_server, page, login, coordinator, console_errors, unesco):  # noqa: F811
    login(page, coordinator.email, PASSWORD)
    new_question(page, live_server.url, "Réponse courte", "Avec compétence", "Mot ?")
    page.get_by_role("textbox", name="Réponses acceptées", exact=True).fill("ia")
    page.get_by_role("button", name="Ajouter des compétences").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("checkbox", name=unesco["1.1"].label_fr, exact=True)).to_be_visible()
    dialog.get_by_role("textbox", name="Rechercher").press_sequentially("2.1", delay=50)
    expect(dialog.get_by_text(unesco["1.1"].label_fr, exact=True)).to_have_count(0)  # the search narrowed the list
    dialog.get_by_role("checkbox", name=unesco["2.1"].label_fr, exact=True).check()
    dialog.get_by_role("button", name="Confirmer la sélection").click()
    chosen = page.get_by_role("checkbox", name=f"2.1 {unesco['2.1'].label_fr}", exact=False)
    expect(chosen).to_be_checked()
    assert "Éthique de l'IA" in chosen.locator("xpath=..").inner_text()  # shown with its path in the tree
    save(page)
    assert [c.code for c in Question.objects.get().competencies.all()] == ["2.1"]
    assert console_errors == []
