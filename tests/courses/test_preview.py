"""Wagtail previews of every learner page type, in French and English: what an enrolled learner sees (with a sample
progress state), under the learner's Content Security Policy, and nothing recorded."""

from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from assessments.models import Attempt, QuizPage, QuizQuestion
from competencies.models import CompetencyItem
from courses.models import ActivityProgress, CataloguePage, CoursePage, Enrolment, LessonPage, ModulePage
from tests.assessments.conftest import make_question
from xapi.models import OutboxStatement

pytestmark = pytest.mark.django_db

SAMPLE = {
    "fr": "Aperçu avec une progression fictive",
    "en": "Preview with a sample progress",
}


@pytest.fixture
def demo_content(build_course):
    """A course in French and English (1 module, 2 lessons), a fixed quiz of two questions and a quiz drawing
    three questions from the bank, the drawn one saved as a draft only (never published)."""
    tree = build_course(n_modules=1, n_lessons=2)
    items = list(CompetencyItem.objects.filter(framework__code="unesco-aicft-2024", depth__gt=1).order_by("path"))
    for lang, module in (("fr", tree["modules"][0]), ("en", tree["en"]["modules"][0])):
        locale = Locale.objects.get(language_code=lang)
        bank = [
            make_question(kind, locale=locale, competencies=items[:1])
            for kind in ("single", "multiple", "true_false", "short_text")
        ]
        fixed = QuizPage(title=f"Quiz fixe {lang}", slug=f"quiz-fixe-{lang}")
        module.add_child(instance=fixed)
        fixed.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(bank[:2])]
        fixed.save_revision().publish()
        drawn = QuizPage(title=f"Tirage {lang}", slug=f"tirage-{lang}", draw_count=3, live=False)
        module.add_child(instance=drawn)
        drawn.draw_competencies = items[:1]
        drawn.save_revision()


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(email="admin@education.gouv.fr", is_superuser=True, is_staff=True))
    return client


def _nothing_recorded() -> None:
    assert not Enrolment.objects.exists()
    assert not ActivityProgress.objects.exists()
    assert not Attempt.objects.exists()
    assert not OutboxStatement.objects.exists()


def _pages(lang: str) -> dict:
    def first(model, **filters):
        return model.objects.filter(locale__language_code=lang, **filters).order_by("path").first()

    return {
        "catalogue": first(CataloguePage, academie__isnull=True),
        "course": first(CoursePage),
        "module": first(ModulePage),
        "lesson": first(LessonPage),
        "fixed quiz": first(QuizPage, draw_count__isnull=True),
        "drawn quiz": first(QuizPage, draw_count__isnull=False),
    }


def _strict_policy(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src, policy
    return policy


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_type_previews_as_a_learner_sees_it_and_records_nothing(admin_client, demo_content, lang):
    pages = _pages(lang)
    assert all(pages.values()), pages
    for kind, page in pages.items():
        response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]), HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200, (kind, response.content.decode()[:2000])
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, kind
        assert escape(page.title) in html, kind
        _strict_policy(response)
        if kind in ("course", "module", "lesson"):
            # The sample progress state: an enrolled learner's progress bar, one activity done.
            assert SAMPLE[lang] in html, kind
            assert "<progress" in html, kind
        if kind == "lesson":
            assert "disabled" in html  # "I have finished this lesson" cannot record anything from a preview
        if kind == "drawn quiz":
            assert html.count("<fieldset") == 3
        if kind == "fixed quiz":
            assert html.count("<fieldset") == page.quiz_questions.count() > 0
    _nothing_recorded()


def test_course_preview_lists_draft_modules_and_marks_a_sample_activity_done(admin_client, demo_content):
    course = CoursePage.objects.get(locale__language_code="fr")
    draft = ModulePage(title="Module en préparation", slug="module-en-preparation", live=False)
    course.add_child(instance=draft)
    draft.save_revision()
    html = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[course.pk])).content.decode()
    assert "Module en préparation" in html
    assert html.count('class="done"') == 1
    # The learner's own page shows only published modules.
    assert "Module en préparation" not in admin_client.get(course.url).content.decode()
    _nothing_recorded()


def test_lesson_preview_from_the_editor_shows_unsaved_changes(admin_client, demo_content):
    """The editor's preview panel: the form is posted, then the preview rendered, before anything is saved."""
    lesson = LessonPage.objects.filter(locale__language_code="en").order_by("path").first()
    data = nested_form_data(
        {
            "title": "Unsaved lesson title",
            "slug": lesson.slug,
            "summary": "Changed summary",
            "estimated_minutes": "15",
            "required_for_completion": "on",
            "facts_checked_against": "",
            "body": streamfield([("rich_text", rich_text("<p>Unsaved paragraph</p>"))]),
        }
    )
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    assert admin_client.post(url, data).json() == {"is_valid": True, "is_available": True}
    response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    assert "Unsaved lesson title" in html and "Unsaved paragraph" in html and SAMPLE["en"] in html
    _strict_policy(response)
    lesson.refresh_from_db()
    assert lesson.title != "Unsaved lesson title"
    _nothing_recorded()


def test_a_new_lesson_previews_before_it_is_created(admin_client, demo_content):
    module = ModulePage.objects.filter(locale__language_code="fr").order_by("path").first()
    url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", module.pk])
    data = nested_form_data(
        {
            "title": "Nouvelle leçon",
            "slug": "nouvelle-lecon",
            "summary": "",
            "estimated_minutes": "10",
            "facts_checked_against": "",
            "body": streamfield([("rich_text", rich_text("<p>Premier jet</p>"))]),
        }
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Nouvelle leçon" in html and "Premier jet" in html and module.title in html
    assert not LessonPage.objects.filter(slug="nouvelle-lecon").exists()
    _nothing_recorded()


def test_an_enrolled_author_previews_without_touching_their_progress(client, make_user, demo_content):
    from courses import services

    author = make_user(email="auteur@education.gouv.fr", is_superuser=True, is_staff=True)
    course = CoursePage.objects.get(locale__language_code="fr")
    enrolment = services.enrol(user=author, course=course)
    outbox = OutboxStatement.objects.count()
    client.force_login(author)
    lesson = LessonPage.objects.filter(locale__language_code="fr").order_by("path").first()
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk])).status_code == 200
    assert not ActivityProgress.objects.filter(enrolment=enrolment).exists()
    assert OutboxStatement.objects.count() == outbox
