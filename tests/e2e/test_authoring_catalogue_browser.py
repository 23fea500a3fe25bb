"""Real Chromium, as a training coordinator: translate a course into English, copy the national course into the
académie's catalogue; and every role's administration screens without a Content Security Policy violation. The world
and the steps are in tests/e2e/authoring.py.

Every test fails on any console error, page error or Content Security Policy violation (the `problems` fixture,
tests/e2e/authoring.py)."""

import re

import pytest

from tests.e2e.authoring import PASSWORD, log_in, open_form, page_action, preview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_translates_their_course_into_english(page, site, problems):
    from wagtail.models import Locale

    from courses.models import CoursePage, LessonPage, ModulePage

    url = site["url"]
    course = CoursePage(title="Parcours toulousain", slug="parcours-toulousain", summary="<p>R.</p>")
    site["toulouse"][0].add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Module toulousain", slug="module-toulousain")
    course.add_child(instance=module)
    module.save_revision().publish()
    lesson = LessonPage(title="Leçon toulousaine", slug="lecon-toulousaine", body=[("rich_text", "<p>Texte.</p>")])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    log_in(page, url, "coord@ac-toulouse.fr")
    page_action(page, url, course.pk, "Traduire")
    page.get_by_label(re.compile("English|anglais", re.IGNORECASE)).check()
    page.get_by_label(re.compile("Inclure le sous-arbre")).check()
    page.get_by_role("button", name="Soumettre").click()
    page.wait_for_load_state("networkidle")
    en = Locale.objects.get(language_code="en")
    english = CoursePage.objects.get(locale=en, translation_key=course.translation_key)
    assert english.get_parent().pk == site["toulouse"][1].pk
    assert LessonPage.objects.filter(locale=en, translation_key=lesson.translation_key).exists()
    # The English draft previews as an English learner sees it.
    open_form(page, f"{url}/admin/pages/{english.pk}/edit/")
    preview(page, "Preview with a sample progress")


def test_coordinator_copies_the_national_course_into_the_academie_catalogue(page, site, problems):
    from courses.models import CoursePage

    url = site["url"]
    national = site["national_course"]
    log_in(page, url, "coord@ac-toulouse.fr")
    page_action(page, url, national.pk, "Copier")
    page.get_by_label("Nouveau titre").fill("Parcours national adapté à Toulouse")
    page.get_by_label("Nouveau slug").fill("parcours-national-toulouse")
    parent = page.locator("[data-field-wrapper]").filter(has_text="Nouvelle page parente")
    parent.get_by_role("button", name="Actions").click()  # the current parent is already chosen: change it
    parent.get_by_role("button", name=re.compile("^Choisi")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=re.compile("Catalogue de l'académie de Toulouse")).first.click()
    dialog.wait_for(state="hidden")
    page.get_by_label("Copier les sous-pages").check()
    page.get_by_role("button", name="Copier cette page").click()
    page.wait_for_load_state("networkidle")
    copy = CoursePage.objects.get(slug="parcours-national-toulouse")
    assert copy.get_parent().pk == site["toulouse"][0].pk
    assert copy.copied_from_key == national.translation_key
    assert copy.get_descendants().count() == 2


SKIP = re.compile(
    r"/admin/bulk/|logout|delete|unpublish|erase|export|revert|lock|unlock|copy|move|convert|/add/|cancel|xlsx|csv"
)


def admin_screens(page, url: str, limit: int = 20) -> list[str]:
    """The administration's screens a user reaches from the dashboard and its menus (links under /admin/, GET only,
    nothing that changes data), two clicks deep at most."""
    seen: list[str] = []
    queue = ["/admin/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = page.goto(url + path)
        assert response.status < 500, path
        page.wait_for_load_state("networkidle")
        if path.count("/") > 4:
            continue
        for href in page.eval_on_selector_all("a[href^='/admin/']", "els => els.map(e => e.getAttribute('href'))"):
            href = href.split("#")[0]
            if href not in seen and href not in queue and not SKIP.search(href):
                queue.append(href)
    return seen


@pytest.mark.parametrize(
    "who",
    ["coordinator", "moderator", "manager", "national admin"],
)
def test_no_csp_violation_on_the_administration_screens_of_each_role(page, site, problems, make_user, academies, who):
    from lms.roles import ACADEMY_MANAGERS, NATIONAL_ADMINS

    emails = {"coordinator": "coord@ac-toulouse.fr", "moderator": "moderation@education.gouv.fr"}
    if who == "manager":
        make_user(
            email="gestion@ac-toulouse.fr", password=PASSWORD, role=ACADEMY_MANAGERS, academie=academies["Toulouse"]
        )
        emails[who] = "gestion@ac-toulouse.fr"
    if who == "national admin":
        make_user(email="admin@education.gouv.fr", password=PASSWORD, role=NATIONAL_ADMINS, is_superuser=True)
        emails[who] = "admin@education.gouv.fr"
    log_in(page, site["url"], emails[who])
    screens = admin_screens(page, site["url"])
    assert len(screens) > 3, screens
