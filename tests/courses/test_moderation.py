"""A coordinator submits a course and its subtree in one action; approving the course approves them; coordinators
translate their own pages; a draft with an empty required field says so."""

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.models import Locale, Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

import pytest

from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import setup_academy, setup_national_catalogue
from lms.roles import COORDINATORS


@pytest.fixture
def catalogues(db, academies):
    national = setup_national_catalogue()
    return {
        "national": national,
        "Toulouse": setup_academy(academie=academies["Toulouse"])[0],
        "Nantes": setup_academy(academie=academies["Nantes"])[0],
    }


@pytest.fixture
def coordinators(make_user, academies, catalogues):
    users = {}
    for name, domain in (("Toulouse", "ac-toulouse.fr"), ("Nantes", "ac-nantes.fr")):
        user = make_user(email=f"coord@{domain}", role=COORDINATORS, academie=academies[name])
        setup_academy(academie=academies[name])  # joins the académie's coordinators group
        users[name] = type(user).objects.get(pk=user.pk)
    return users


@pytest.fixture
def moderator(make_user):
    user = make_user(email="moderation@education.gouv.fr")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def _draft(parent: Page, page: Page) -> Page:
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


@pytest.fixture
def draft_course(catalogues):
    course = _draft(
        catalogues["Toulouse"][0], CoursePage(title="Cours toulousain", slug="cours-tlse", summary="<p>R</p>")
    )
    module = _draft(course, ModulePage(title="Module 1", slug="module-1"))
    lessons = [
        _draft(module, LessonPage(title=f"Leçon {n}", slug=f"lecon-{n}", body=[("rich_text", "<p>Texte</p>")]))
        for n in (1, 2)
    ]
    return {"course": course, "module": module, "lessons": lessons}


def _in_moderation(pages) -> set[int]:
    ids = [str(p.pk) for p in pages]
    return {int(s.object_id) for s in WorkflowState.objects.active().filter(object_id__in=ids)}


def test_a_course_and_its_drafts_are_submitted_in_one_action_and_approved_with_the_course(
    client, coordinators, moderator, draft_course
):
    course, pages = draft_course["course"], [draft_course["course"], draft_course["module"], *draft_course["lessons"]]
    client.force_login(coordinators["Toulouse"])
    # The course's header offers the action.
    explore = client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    url = reverse("courses_submit_course", args=[course.pk])
    assert url in explore
    # A confirmation lists every page that will be submitted.
    confirm = client.get(url).content.decode()
    for page in pages:
        assert page.title in confirm
    assert not _in_moderation(pages)
    assert not any(Page.objects.get(pk=p.pk).live for p in pages)
    response = client.post(url)
    assert response.status_code == 302
    assert _in_moderation(pages) == {p.pk for p in pages}
    assert "4" in str(next(iter(get_messages(response.wsgi_request))))
    # Nothing left to submit: the action says so and starts nothing twice.
    client.post(url)
    assert WorkflowState.objects.active().count() == 4

    # The moderator approves the course: every page submitted with it is published.
    client.force_login(moderator)
    state = WorkflowState.objects.active().get(object_id=str(course.pk))
    approve = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", state.current_task_state.pk])
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302), response.content.decode()[:1000]
    assert all(Page.objects.get(pk=p.pk).live for p in pages)
    assert not WorkflowState.objects.active().exists()


def test_another_academie_cannot_submit_the_course(client, coordinators, draft_course):
    client.force_login(coordinators["Nantes"])
    url = reverse("courses_submit_course", args=[draft_course["course"].pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert not WorkflowState.objects.exists()


def test_a_coordinator_translates_their_course_with_its_subtree(client, coordinators, draft_course, catalogues):
    course = draft_course["course"]
    en = Locale.objects.get(language_code="en")
    url = reverse("simple_translation:submit_page_translation", args=[course.pk])
    client.force_login(coordinators["Nantes"])
    assert client.post(url, {"locales": [en.pk], "include_subtree": "on"}).status_code in (302, 403)
    assert not CoursePage.objects.filter(locale=en).exists()
    client.force_login(coordinators["Toulouse"])
    # The Translate action is offered, and works.
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [en.pk], "include_subtree": "on"})
    assert response.status_code == 302
    english = CoursePage.objects.get(locale=en, translation_key=course.translation_key)
    assert english.get_parent().pk == catalogues["Toulouse"][1].pk
    assert LessonPage.objects.filter(locale=en).count() == 2


@pytest.mark.parametrize("lang,label", [("fr", "Résumé"), ("en", "Summary")])
def test_a_draft_with_an_empty_required_field_says_which(client, coordinators, draft_course, lang, label):
    from wagtail.users.models import UserProfile

    course = draft_course["course"]
    profile = UserProfile.get_for_user(coordinators["Toulouse"])
    profile.preferred_language = lang  # the administration speaks the user's chosen language
    profile.save()
    client.force_login(coordinators["Toulouse"])
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "summary": rich_text(""),
            "objectives": rich_text(""),
            "credits": rich_text(""),
            "estimated_hours": "2",
            "licence": "CC BY-SA 4.0",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[course.pk]), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    warning = next((m for m in messages if label in m), None)
    assert warning is not None, messages


def test_pages_with_empty_required_fields_are_named_and_nothing_is_submitted(client, coordinators, draft_course):
    module = draft_course["module"]
    empty = _draft(module, LessonPage(title="Leçon vide", slug="lecon-vide", body=[]))
    client.force_login(coordinators["Toulouse"])
    url = reverse("courses_submit_course", args=[draft_course["course"].pk])
    confirm = client.get(url).content.decode()
    assert "Leçon vide" in confirm and "Contenu" in confirm
    response = client.post(url, follow=True)
    message = " ".join(str(m) for m in response.context["messages"])
    assert "Leçon vide (Contenu)" in message
    assert not WorkflowState.objects.exists()
    assert not Page.objects.get(pk=empty.pk).live
