"""A teacher's whole journey in real Chromium, by visible labels: the optional positioning quiz (which asks before
enrolling), lessons marked done with a confirmation, the module quiz, a competency profile that agrees with the quiz
results, the next module, the attestation, a readable data download. No console error or CSP violation; axe-core clean on the pages this work
added or changed, in French and English; a long question prompt stays inside its box at 390 px."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from assessments.models import QuizKind, QuizPage, QuizQuestion
from competencies.models import CompetencyItem, Evidence, EvidenceKind, Framework
from courses.models import CoursePage, Enrolment, LessonPage, ModulePage
from courses.services import setup_national_catalogue
from lms.roles import TEACHERS
from tests.assessments.conftest import make_question
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"
LONG_PROMPT = (
    "Lisez la consigne suivante, copiée depuis https://eduscol.education.fr/ressources-pedagogiques/"
    "intelligence-artificielle-generative-en-classe-et-protection-des-donnees-personnelles-des-eleves "
    "puis choisissez la réponse qui protège le mieux les données des élèves ?"
)


def _lesson(title: str, slug: str) -> LessonPage:
    return LessonPage(
        title=title, slug=slug, summary="", body=[{"type": "rich_text", "value": f"<p>Texte de {title}.</p>"}]
    )


def _quiz(module: ModulePage, questions, **fields) -> QuizPage:
    quiz = QuizPage(shuffle_choices=False, **fields)
    module.add_child(instance=quiz)
    for position, question in enumerate(questions):
        QuizQuestion.objects.create(page=quiz, question=question, sort_order=position)
    quiz.save_revision().publish()
    return quiz


@pytest.fixture
def journey(live_server, make_user, academies):
    framework = Framework.objects.get(code="unesco-aicft-2024")
    item = CompetencyItem.objects.get(framework=framework, code="2.2")
    catalogue = next(c for c in setup_national_catalogue() if c.locale.language_code == "fr")
    course = CoursePage(
        title="Parcours IA en classe", slug="parcours-ia", summary="<p>Un parcours.</p>", estimated_hours=Decimal(6)
    )
    catalogue.add_child(instance=course)
    course.competencies = [item]
    course.save_revision().publish()
    modules = []
    for n, title in enumerate(["Module 1 : les bases", "Module 2 : la pratique"], start=1):
        module = ModulePage(title=title, slug=f"module-{n}")
        course.add_child(instance=module)
        module.save_revision().publish()
        modules.append(module)
    positioning = _quiz(
        modules[0],
        [make_question("single", prompt="Positionnement : quelle réponse ?", competencies=[item])],
        title="Où en suis-je ?",
        slug="positionnement",
        kind=QuizKind.POSITIONING,
        framework=framework,
        required_for_completion=False,
    )
    for n, title in enumerate(["Leçon A", "Leçon B"], start=1):
        lesson = _lesson(title, f"lecon-{n}")
        modules[0].add_child(instance=lesson)
        lesson.save_revision().publish()
    module_quiz = _quiz(
        modules[0],
        [
            make_question("single", prompt=LONG_PROMPT, competencies=[item]),
            make_question("single", prompt="Deuxième question ?", competencies=[item]),
            make_question("single", prompt="Troisième question ?", competencies=[item]),
        ],
        title="Quiz du module 1",
        slug="quiz-module-1",
        pass_mark_percent=70,
    )
    lesson_c = _lesson("Leçon C", "lecon-c")
    modules[1].add_child(instance=lesson_c)
    lesson_c.save_revision().publish()
    user = make_user(email="prof@ac-toulouse.fr", password=PASSWORD, academie=academies["Toulouse"])
    user.groups.add(Group.objects.get(name=TEACHERS))
    return {
        "server": live_server,
        "user": user,
        "course": course,
        "modules": modules,
        "positioning": positioning,
        "quiz": module_quiz,
    }


@pytest.fixture
def watched(page):
    """The page, failing the test on any console error (CSP violations are reported there) or uncaught error."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield page
    assert problems == []


def _answer_single(page, label: str, *, last: bool = False) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Enregistrer ma réponse").click()
    if last:
        page.get_by_role("button", name="Remettre ma tentative").click()


def _axe(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], (where, violations)


def test_teacher_journey_positioning_lessons_quiz_profile_attestation(watched, journey):
    page, base = watched, journey["server"].url

    # Log-in lands on My learning (not the account form); the menu offers the catalogue and the profile.
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("prof@ac-toulouse.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon apprentissage")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Catalogue")).to_be_visible()
    expect(menu.get_by_role("link", name="Mon profil de compétences")).to_be_visible()

    # The course page: competencies are links to the framework.
    page.goto(base + journey["course"].url)
    expect(page.get_by_role("link", name=re.compile(r"^2\.2 — "))).to_be_visible()

    # The optional positioning quiz asks before enrolling.
    page.goto(base + journey["positioning"].url)
    expect(page.get_by_text("Commencer ce quiz vous inscrit à la formation")).to_be_visible()
    assert not Enrolment.objects.exists()
    page.get_by_role("button", name="M'inscrire et commencer le quiz").click()
    _answer_single(page, "Choice B text", last=True)
    # One answer never makes a competency secured, nor "at ease": too few answers to tell.
    expect(page.get_by_role("heading", name="Votre positionnement, compétence par compétence")).to_be_visible()
    results = page.locator("ul.verdicts").filter(has_text="2.2")
    expect(results).to_contain_text("trop peu de réponses pour conclure")
    expect(results).to_contain_text("Encore 2 questions nécessaires")
    assert "acquise" not in results.inner_text()
    _axe(page, "positioning results")
    assert Evidence.objects.filter(kind=EvidenceKind.POSITIONING).count() == 1

    # Lessons: marking one done says so, and leads on.
    page.get_by_role("link", name="Voir mon profil de compétences").click()
    expect(page).to_have_url(re.compile(r"/competences/mon-profil/$"))
    page.goto(base + LessonPage.objects.get(slug="lecon-1").url)
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.get_by_role("status")).to_contain_text("« Leçon A » est marquée comme terminée.")
    page.goto(base + LessonPage.objects.get(slug="lecon-2").url)
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.get_by_role("status")).to_contain_text("« Leçon B » est marquée comme terminée.")

    # The module quiz, its first (long) question checked at 390 px.
    page.goto(base + journey["quiz"].url)
    page.get_by_role("button", name="Commencer le quiz").click()
    expect(page.get_by_text("0 question répondue sur 3.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    legend = page.locator("fieldset.question legend").bounding_box()
    box = page.locator("fieldset.question").bounding_box()
    assert legend["x"] >= box["x"] and legend["x"] + legend["width"] <= box["x"] + box["width"] + 0.5, (legend, box)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    _answer_single(page, "Choice B text")
    expect(page.get_by_text("1 question répondue sur 3.")).to_be_visible()
    _answer_single(page, "Choice B text")
    _answer_single(page, "Choice B text", last=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz réussi")
    expect(page.get_by_text(re.compile(r"\(100\u00a0%\)\. Seuil de réussite\u00a0: 70\u00a0%"))).to_be_visible()
    secured = page.locator(".verdicts li").filter(has_text="2.2")
    expect(secured).to_contain_text("acquise")
    why = secured.inner_text().split("Votre profil\u00a0:")[1].strip()
    assert "3 bonnes réponses sur 3 questions (100\u00a0%)" in why
    _axe(page, "module quiz results")

    # The module is complete: its page says so and links to the next module.
    page.goto(base + journey["modules"][0].url)
    expect(page.get_by_text("Vous avez terminé ce module.")).to_be_visible()
    page.get_by_role("link", name="Module suivant : Module 2 : la pratique".replace(" : ", "\u00a0: ", 1)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 2 : la pratique")

    # The competency profile agrees with the results, word for word, and keeps the positioning apart.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon profil de compétences").click()
    row = page.get_by_role("row").filter(has_text="2.2")
    expect(row.get_by_role("cell").nth(0)).to_have_text("acquise")
    expect(row.get_by_role("cell").nth(1)).to_contain_text(why)
    expect(row.get_by_role("cell").nth(2)).to_contain_text("trop peu de réponses pour conclure")
    _axe(page, "profile fr")

    # Last lesson: the course is complete, the attestation is there.
    page.goto(base + LessonPage.objects.get(slug="lecon-c").url)
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.get_by_role("status")).to_contain_text("Félicitations")
    page.goto(f"{base}/apprendre/")
    link = page.get_by_role("link", name="Télécharger mon attestation")
    expect(page.get_by_text(re.compile(r"terminé le \d"))).to_be_visible()
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    _axe(page, "my learning fr")

    # Download my data: a page a teacher can read, in French, with the course and the quiz, no internal names.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon compte").click()
    page.get_by_role("link", name="Télécharger mes données").click()
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mes données").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        index = archive.read("index.html").decode()
    assert '<html lang="fr"' in index and journey["course"].title in index and journey["quiz"].title in index
    for internal in ("lms.User", "is_superuser", "academie_id", "lease_owner", ">None<"):
        assert internal not in index, internal

    # English: English URLs, "100%" without a space, axe-clean.
    page.goto(f"{base}/en/learning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    _axe(page, "my learning en")
    page.get_by_role("link", name="See my competency profile").click()
    expect(page).to_have_url(re.compile(r"/en/competencies/my-profile/$"))
    row = page.get_by_role("row").filter(has_text="2.2")
    expect(row).to_contain_text("3 of 3 questions correct (100%)")
    _axe(page, "profile en")
    page.goto(base + journey["course"].url)
    _axe(page, "course page fr")


def test_signed_out_visitor_is_offered_sign_up_on_the_course_page(watched, journey):
    page, base = watched, journey["server"].url
    page.goto(base + journey["course"].url)
    expect(page.get_by_role("link", name="Créer un compte pour s'inscrire")).to_be_visible()
    expect(page.get_by_role("link", name="J'ai déjà un compte\u00a0: me connecter")).to_be_visible()
    _axe(page, "course page signed out")
    page.goto(f"{base}/en/")
    _axe(page, "home en")
