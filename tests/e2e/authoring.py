"""The authoring journeys' world and steps, shared by test_authoring_browser.py and
test_authoring_catalogue_browser.py: a national catalogue, the Toulouse catalogue, a bank of questions and media, a
coordinator and a moderator (`site`); a `problems` fixture that fails the test on any console error, page error or
Content Security Policy violation (a `securitypolicyviolation` listener in every frame, and the reports the browser
sends to /csp-report/); steps driven by the visible labels of the French administration."""

import io
import logging
import re
from pathlib import Path

from django.core.files.base import ContentFile

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

PASSWORD = "mot-de-passe-de-test"
SAMPLE_PROGRESS = "Aperçu avec une progression fictive"
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture
def problems(page, caplog):
    """Console errors, page errors and CSP violations seen during the test: it fails if there is any."""
    seen: list[str] = []
    page.context.add_init_script(CSP_LISTENER)
    page.route("**/media/**", _serve_media)  # the test server does not serve uploads (thumbnails, renditions)
    page.on("console", lambda m: seen.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    caplog.set_level(logging.WARNING, logger="lms.csp")
    yield seen
    page.wait_for_timeout(200)  # let late reports arrive
    reports = [r.getMessage() for r in caplog.records if r.name == "lms.csp"]
    assert seen == [] and reports == [], seen + reports


def _serve_media(route) -> None:
    from urllib.parse import unquote, urlparse

    from django.conf import settings

    relative = unquote(urlparse(route.request.url).path).removeprefix(settings.MEDIA_URL)
    path = Path(settings.MEDIA_ROOT) / relative
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.continue_()


def _png() -> ContentFile:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 180), (30, 80, 140)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="schema.png")


@pytest.fixture
def site(live_server, make_user, academies, settings):
    """National catalogue with a published course; the Toulouse catalogue; a bank of French questions; media to
    choose; a Toulouse coordinator and a moderator."""
    from django.contrib.auth.models import Group

    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Locale

    from competencies.models import CompetencyItem
    from courses.models import CoursePage, LessonPage, ModulePage
    from courses.services import setup_academy, setup_national_catalogue
    from lms.roles import COORDINATORS
    from tests.assessments.conftest import make_question

    # Wagtail 8 autosaves 500 ms after a change, and on a new page the first autosave creates it and turns the form
    # into the edit form: a click on "Save draft" during that exchange posts the create form twice (a 400 in the
    # console). The tests save by hand, so autosave is off here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    national = setup_national_catalogue()
    toulouse = setup_academy(academie=academies["Toulouse"])[0]
    course = CoursePage(title="Parcours national", slug="parcours-national", summary="<p>National.</p>")
    national[0].add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Module national", slug="module-national")
    course.add_child(instance=module)
    module.save_revision().publish()
    lesson = LessonPage(title="Leçon nationale", slug="lecon-nationale", body=[("rich_text", "<p>Texte.</p>")])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    item = CompetencyItem.objects.filter(framework__code="unesco-aicft-2024", depth__gt=1).order_by("path").first()
    fr = Locale.objects.get(language_code="fr")
    questions = [
        make_question(kind, title=f"Question {kind}", locale=fr, competencies=[item])
        for kind in ("single", "multiple", "true_false", "short_text")
    ]
    Image.objects.create(title="Schéma de la séance", file=_png())
    Document.objects.create(title="Démonstration vidéo", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="d.mp4"))
    Document.objects.create(title="Fiche à imprimer", file=ContentFile(b"%PDF-1.4\n", name="fiche.pdf"))
    make_user(email="coord@ac-toulouse.fr", password=PASSWORD, role=COORDINATORS, academie=academies["Toulouse"])
    setup_academy(academie=academies["Toulouse"])  # joins the académie's group
    moderator = make_user(email="moderation@education.gouv.fr", password=PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {
        "url": live_server.url,
        "toulouse": toulouse,
        "national_course": course,
        "questions": questions,
        "item": item,
    }


# --- Steps, by visible labels (French administration) -------------------------------------------------------------


def title_field(page):
    return page.get_by_role("textbox", name=re.compile(r"^Titre\*?$"))


def type_title(page, title: str) -> None:
    title_field(page).fill(title)
    page.keyboard.press("Tab")  # leaving the title fills in the slug (on the "Promotion" tab)
    expect(page.get_by_label(re.compile(r"^\s*Slug"))).not_to_have_value("")


def rich_text(page, label: str, text: str) -> None:
    """Type into the last Draftail editor whose field carries `label` (Draftail's editable area has no accessible
    name of its own, so the field wrapper holding the visible label is found first)."""
    label_re = re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$", re.IGNORECASE)
    wrappers = page.locator("section.w-panel, [data-field-wrapper], [data-contentpath]").filter(
        has=page.get_by_text(label_re)
    )
    editor = wrappers.last.get_by_role("textbox")
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)


def save_draft(page) -> int:
    # Draftail copies its content into the form when it loses focus, as when a person reaches for the button.
    page.evaluate("document.activeElement?.blur()")
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")  # the editor's own requests (choosers, widgets) are done
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    try:
        # A page with every block type is a heavy save on a loaded machine: a minute, not Playwright's 30 s.
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=60_000)
    except PlaywrightTimeoutError:
        shown = page.locator(".help-critical, .error-message, .w-field__errors, [role=alert]").all_inner_texts()
        raise AssertionError(f"the draft was not saved; the page says: {shown}") from None
    page.wait_for_load_state("networkidle")
    return int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))


def preview(page, expected: str) -> None:
    """Open the preview panel and find `expected` in the page as the learner sees it."""
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    frame = page.frame_locator("iframe[title]").first
    frame.get_by_text(expected, exact=False).first.wait_for()
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()


def add_block(page, label: str) -> None:
    page.get_by_role("button", name="Insérer un bloc").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def field(page, label: str):
    return page.get_by_role("textbox", name=re.compile(rf"^{re.escape(label)}\*?$", re.IGNORECASE)).last


def choose(page, button: str, title: str) -> None:
    """Pick `title` in a chooser dialog, and check the widget now shows it (a click that lands before the dialog's
    scripts have bound their handlers chooses nothing: then the chooser is opened again)."""
    chosen = page.locator(".chooser__title", has_text=title)
    before = chosen.count()
    for _attempt in range(2):
        page.get_by_role("button", name=button).last.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("link", name=title).first.wait_for()
        page.wait_for_load_state("networkidle")  # the dialog's results and their handlers are in place
        dialog.get_by_role("link", name=title).first.click()
        dialog.wait_for(state="hidden")
        if chosen.count() > before:
            return
    raise AssertionError(f"the chooser did not take « {title} »")


def open_form(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")  # the editors (Draftail, StreamField) are ready


def create_course(page, url: str, catalogue_id: int, title: str = "Former à l'IA à Toulouse") -> int:
    open_form(page, f"{url}/admin/pages/add/courses/coursepage/{catalogue_id}/")
    type_title(page, title)
    rich_text(page, "Résumé", "Un parcours de l'académie.")
    return save_draft(page)


def create_module(page, url: str, course_id: int, title: str = "Premiers pas") -> int:
    open_form(page, f"{url}/admin/pages/add/courses/modulepage/{course_id}/")
    type_title(page, title)
    return save_draft(page)


def create_lesson_with_every_block(page, url: str, module_id: int, title: str = "Découvrir les assistants") -> int:
    open_form(page, f"{url}/admin/pages/add/courses/lessonpage/{module_id}/")
    type_title(page, title)
    add_block(page, "Texte")
    rich_text(page, "Contenu", "Paragraphe d'introduction.")  # the body's newest editor
    add_block(page, "Image")
    choose(page, "Choisir une image", "Schéma de la séance")
    field(page, "Texte alternatif").fill("Schéma de la séance en trois temps")
    add_block(page, "Vidéo")
    choose(page, "Choisir un document", "Démonstration vidéo")
    field(page, "titre").fill("Démonstration")
    rich_text(page, "transcription", "Transcription de la vidéo.")
    add_block(page, "Encadré")
    rich_text(page, "texte", "Attention aux données personnelles.")
    add_block(page, "Étude de cas")
    field(page, "titre").fill("Une classe de seconde")
    rich_text(page, "situation", "La situation.")
    rich_text(page, "questions", "Les questions.")
    add_block(page, "Exercice de requête")
    field(page, "titre").fill("Reformuler une consigne")
    rich_text(page, "ce qu'il faut essayer", "Essayez.")
    rich_text(page, "ce qu'il faut observer", "Observez.")
    add_block(page, "Document à télécharger")
    choose(page, "Choisir un document", "Fiche à imprimer")
    add_block(page, "Références")
    field(page, "source").fill("Référentiel UNESCO")
    field(page, "date du texte").fill("2024")
    add_block(page, "Terme du glossaire")
    field(page, "terme").fill("Hallucination")
    rich_text(page, "définition", "Une réponse inventée.")
    return save_draft(page)


def create_fixed_quiz(page, url: str, module_id: int, question: str) -> int:
    open_form(page, f"{url}/admin/pages/add/assessments/quizpage/{module_id}/")
    type_title(page, "Quiz du module")
    page.get_by_role("button", name=re.compile(r"^Ajouter .*des questions de la banque$")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("checkbox", name=question, exact=True).check()
    dialog.get_by_role("button", name="Confirmer la sélection").click()
    dialog.wait_for(state="hidden")
    expect(page.get_by_role("tabpanel", name="Contenu").get_by_text(question, exact=True)).to_be_visible()
    return save_draft(page)


def create_drawn_quiz(page, url: str, module_id: int, item_label: str) -> int:
    open_form(page, f"{url}/admin/pages/add/assessments/quizpage/{module_id}/")
    type_title(page, "Quiz tiré de la banque")
    page.get_by_label("Questions tirées au hasard").fill("3")
    # "Tirer parmi les compétences" is a competency chooser (the quiz's own competencies are another one)
    draw = page.locator("[data-competency-chooser][data-name=draw_competencies]")
    draw.get_by_role("button", name="Ajouter des compétences").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("checkbox", name=item_label, exact=True).check()
    dialog.get_by_role("button", name="Confirmer la sélection").click()
    dialog.wait_for(state="hidden")
    expect(draw.get_by_role("checkbox", name=item_label, exact=False)).to_be_checked()
    return save_draft(page)


def page_action(page, url: str, page_id: int, action: str) -> None:
    """An action of the page's header menu ("Actions"), in the page explorer."""
    page.goto(f"{url}/admin/pages/{page_id}/")
    page.get_by_role("button", name="Actions").first.click()
    page.get_by_role("link", name=action).click()
    page.wait_for_load_state("networkidle")


def log_in(page, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
