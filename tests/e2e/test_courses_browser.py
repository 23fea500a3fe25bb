"""Real Chromium: the learner's pages pass axe-core (WCAG 2.1 AA) in both languages, and the journey works by keyboard."""

import pytest

from courses import demo
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import content_key
from lms.roles import TEACHERS

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def demo_site(live_server, django_user_model, academies):
    from django.contrib.auth.models import Group

    demo.load()
    user = django_user_model.objects.create_user(
        email="prof@ac-toulouse.fr", password=PASSWORD, academie=academies["Toulouse"]
    )
    user.groups.add(Group.objects.get(name=TEACHERS))
    return live_server


@pytest.mark.parametrize("language", ["fr", "en"])
def test_learner_pages_have_no_axe_violation(page, demo_site, login, language):
    login(page, "prof@ac-toulouse.fr", PASSWORD)
    course = CoursePage.objects.get(
        locale__language_code=language, translation_key=content_key("ia-generative-en-classe")
    )
    module = ModulePage.objects.filter(locale__language_code=language).order_by("path").first()
    lesson = LessonPage.objects.filter(locale__language_code=language).order_by("path").first()
    prefix = "" if language == "fr" else "/en"
    urls = [
        course.get_parent().url,
        course.url,
        module.url,
        lesson.url,
        f"{prefix}/apprendre/" if language == "fr" else "/en/learning/",
        f"{prefix}/",
    ]
    for url in urls:
        page.goto(demo_site.url + url)
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        assert violations == [], (url, violations)


def test_keyboard_only_journey(page, demo_site, login):
    """Enrol, read, mark done and go to the next lesson with the keyboard alone, focus always visible."""
    login(page, "prof@ac-toulouse.fr", PASSWORD)
    course = CoursePage.objects.get(locale__language_code="fr", translation_key=content_key("ia-generative-en-classe"))
    lessons = list(LessonPage.objects.filter(locale__language_code="fr").order_by("path")[:2])
    page.goto(demo_site.url + course.url)

    def tab_to(text: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("() => document.activeElement.textContent.trim()")
            if text in focused:
                outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"focus on {text!r} is not visible"
                return
        raise AssertionError(f"{text!r} never received focus")

    # The skip link is the first stop and leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#contenu"
    tab_to("M'inscrire à ce parcours")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{lessons[0].url}")
    tab_to("J'ai terminé cette leçon")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{lessons[1].url}")
    assert "Progression dans le parcours" in page.content()
    page.goto(demo_site.url + lessons[0].url)
    assert "Vous avez terminé cette leçon" in page.content()
    tab_to("Suite :")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{lessons[1].url}")
