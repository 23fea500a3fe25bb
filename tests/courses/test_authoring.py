"""Authoring in the Wagtail admin: page tree rules, each page type created and published, catalogues per académie."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from courses.models import CataloguePage, CoursePage, HomePage, LessonPage, ModulePage
from courses.services import setup_academy, setup_national_catalogue
from lms.roles import COORDINATORS


def test_page_tree_rules_make_a_wrong_tree_impossible(db):
    assert CataloguePage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CataloguePage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    allowed_in_module = {m.__name__ for m in ModulePage.creatable_subpage_models()}
    assert "LessonPage" in allowed_in_module
    assert allowed_in_module <= {"LessonPage", "QuizPage"}
    assert LessonPage.allowed_subpage_models() == []
    assert {m.__name__ for m in HomePage.creatable_subpage_models()} == {"CataloguePage", "LegalPage"}


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(email="admin@education.gouv.fr", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def _create(client, model, parent, data):
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    response = client.post(url, nested_form_data({**data, "action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    return model.objects.get(slug=data["slug"])


def test_admin_creates_and_publishes_each_page_type(admin_client, db):
    [catalogue, _en] = setup_national_catalogue()
    course = _create(
        admin_client,
        CoursePage,
        catalogue,
        {
            "title": "Former à l'IA",
            "slug": "former-a-l-ia",
            "summary": rich_text("<p>Résumé</p>"),
            "objectives": rich_text("<p>Objectifs</p>"),
            "credits": rich_text(""),
            "estimated_hours": "3",
            "licence": "CC BY-SA 4.0",
        },
    )
    module = _create(
        admin_client,
        ModulePage,
        course,
        {"title": "Module A", "slug": "module-a", "intro": rich_text("<p>Intro</p>"), "estimated_minutes": "60"},
    )
    lesson = _create(
        admin_client,
        LessonPage,
        module,
        {
            "title": "Leçon A",
            "slug": "lecon-a",
            "summary": "Résumé",
            "estimated_minutes": "20",
            "required_for_completion": "on",
            "facts_checked_against": "",
            "body": streamfield(
                [
                    ("rich_text", rich_text("<p>Bonjour</p>")),
                    ("callout", {"kind": "data_protection", "title": "Données", "text": rich_text("<p>Prudence</p>")}),
                    (
                        "prompt_exercise",
                        {
                            "title": "Essai",
                            "task": rich_text("<p>Essayez</p>"),
                            "observe": rich_text("<p>Observez</p>"),
                            "reminder": rich_text("<p>Aucune donnée personnelle</p>"),
                        },
                    ),
                ]
            ),
        },
    )
    assert lesson.live and module.live and course.live
    html = admin_client.get(lesson.url).content.decode()
    assert "Bonjour" in html and "Aucune donnée personnelle" in html and "callout-data_protection" in html
    # Edit and preview work too.
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).status_code == 200


def test_setup_academy_limits_coordinators_to_their_catalogue(make_user, academies, client):
    from django.core.management import call_command

    national = setup_national_catalogue()
    toulouse_coordinator = make_user(email="coord@ac-toulouse.fr", role=COORDINATORS, academie=academies["Toulouse"])
    call_command("setup_academy", "16")
    call_command("setup_academy", "Nantes")
    call_command("setup_academy", "16")  # idempotent
    toulouse = CataloguePage.objects.filter(academie=academies["Toulouse"])
    nantes = CataloguePage.objects.filter(academie=academies["Nantes"])
    assert toulouse.count() == 2 and {p.locale.language_code for p in toulouse} == {"fr", "en"}
    group = Group.objects.get(name="Coordinateurs de formation — Toulouse")
    assert toulouse_coordinator in group.user_set.all()
    toulouse_coordinator = type(toulouse_coordinator).objects.get(pk=toulouse_coordinator.pk)
    assert toulouse.first().permissions_for_user(toulouse_coordinator).can_add_subpage()
    assert not nantes.first().permissions_for_user(toulouse_coordinator).can_add_subpage()
    assert not Page.objects.get(pk=national[0].pk).permissions_for_user(toulouse_coordinator).can_publish()
    client.force_login(toulouse_coordinator)
    add = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", toulouse.first().pk))
    assert client.get(add).status_code == 200
    add = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", nantes.first().pk))
    assert client.get(add).status_code in {302, 403}
    assert not CoursePage.objects.exists()


def test_setup_academy_rejects_an_unknown_code(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Unknown académie"):
        call_command("setup_academy", "99")


def test_copying_a_national_course_remembers_its_origin(admin_client, build_course, academies):
    c = build_course(translate=False)
    [toulouse_fr, _] = setup_academy(academie=academies["Toulouse"])[0]
    url = reverse("wagtailadmin_pages:copy", args=[c["course"].pk])
    response = admin_client.post(
        url,
        {
            "new_title": "Cours test (Toulouse)",
            "new_slug": "cours-test-toulouse",
            "new_parent_page": toulouse_fr.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
            "alias": "",
        },
    )
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="cours-test-toulouse")
    assert copy.copied_from_key == c["course"].translation_key
    assert copy.translation_key != c["course"].translation_key  # its own activity for progress
    assert ModulePage.objects.child_of(copy).count() == 2


def test_a_coordinator_submits_for_moderation_and_cannot_publish(make_user, academies, build_course, client):
    from wagtail.models import WorkflowState

    c = build_course(translate=False)
    national_coordinator = make_user(email="coord@education.gouv.fr", role=COORDINATORS)
    client.force_login(national_coordinator)
    lesson = c["lessons"][0]
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    data = nested_form_data(
        {
            "title": "Leçon 1.1 révisée",
            "slug": lesson.slug,
            "summary": "Résumé",
            "estimated_minutes": "20",
            "required_for_completion": "on",
            "facts_checked_against": "",
            "body": streamfield([("rich_text", rich_text("<p>Nouveau texte</p>"))]),
        }
    )
    client.post(edit, {**data, "action-publish": "publish"})
    lesson.refresh_from_db()
    assert lesson.title == "Leçon 1.1"  # publishing is not theirs
    client.post(edit, {**data, "action-submit": "submit"})
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    lesson.refresh_from_db()
    assert lesson.title == "Leçon 1.1" and lesson.has_unpublished_changes  # live until a moderator approves


def test_an_author_can_translate_a_page_into_english(admin_client, build_course):
    c = build_course(translate=False)
    url = reverse("simple_translation:submit_page_translation", args=[c["course"].pk])
    assert admin_client.get(url).status_code == 200


def test_catalogue_filters_by_competency_and_duration(client, build_course):
    from competencies.models import CompetencyItem

    c = build_course(translate=False)
    item = CompetencyItem.objects.get(code="2.2", framework__code="unesco-aicft-2024")
    c["course"].competencies.set([item])
    c["course"].save_revision().publish()
    catalogue = c["course"].get_parent()
    assert "Cours test" in client.get(catalogue.url, {"competence": item.pk}).content.decode()
    other = CompetencyItem.objects.get(code="1.1", framework__code="unesco-aicft-2024")
    assert "Cours test" not in client.get(catalogue.url, {"competence": other.pk}).content.decode()
    assert "Cours test" not in client.get(catalogue.url, {"duree": "1"}).content.decode()
    assert "Cours test" in client.get(catalogue.url, {"duree": "2"}).content.decode()
    assert client.get(catalogue.url, {"duree": "n'importe quoi", "competence": "x"}).status_code == 200


def test_framework_page_lists_the_lessons_that_develop_each_item(client, build_course):
    from competencies.models import CompetencyItem

    c = build_course()
    item = CompetencyItem.objects.get(code="2.2", framework__code="unesco-aicft-2024")
    for lesson in (c["lessons"][1], c["en"]["lessons"][1]):
        lesson.competencies.set([item])
        lesson.save_revision().publish()
    html = client.get("/competences/unesco-aicft-2024/").content.decode()
    assert c["lessons"][1].url in html and "Leçon 1.2" in html
    assert "Lesson 1.2" not in html  # the visitor's language only
    html = client.get("/en/competencies/unesco-aicft-2024/").content.decode()
    assert "Lesson 1.2" in html and "Leçon 1.2" not in html
