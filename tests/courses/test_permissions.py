"""Pages: every role × national / Toulouse / Nantes content × view, edit, publish, lock, preview, translate, through
the admin URLs, asserting the HTTP status and what changed in the database (docs/permissions.md)."""

from __future__ import annotations

import json

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

import pytest

from courses.models import CataloguePage, CoursePage
from courses.services import setup_academy, setup_national_catalogue
from lms.models import Academie
from tests import trust
from tests.trust import (
    COORD_NANTES,
    COORD_TOULOUSE,
    MANAGER,
    MODERATOR,
    NANTES,
    NATIONAL,
    NATIONAL_ADMIN,
    NATIONAL_EDITOR,
    TEACHER,
    TOULOUSE,
)

Y, N = True, False
# role: {content: (view, edit, publish, lock, preview, translate)}. None: not decided here (see the note below).
TABLE = {
    TEACHER: {NATIONAL: (N, N, N, N, N, N), TOULOUSE: (N, N, N, N, N, N), NANTES: (N, N, N, N, N, N)},
    # A coordinator proposes changes to national pages (a draft, submitted for moderation) but never publishes,
    # locks or translates them; edits their own académie's pages (publishing through moderation); nothing elsewhere.
    COORD_TOULOUSE: {NATIONAL: (Y, Y, N, N, Y, N), TOULOUSE: (Y, Y, N, Y, Y, Y), NANTES: (N, N, N, N, N, N)},
    COORD_NANTES: {NATIONAL: (Y, Y, N, N, Y, N), TOULOUSE: (N, N, N, N, N, N), NANTES: (Y, Y, N, Y, Y, Y)},
    MODERATOR: {NATIONAL: (Y, Y, Y, Y, Y, N), TOULOUSE: (Y, Y, Y, Y, Y, N), NANTES: (Y, Y, Y, Y, Y, N)},
    MANAGER: {NATIONAL: (N, N, N, N, N, N), TOULOUSE: (N, N, N, N, N, N), NANTES: (N, N, N, N, N, N)},
    NATIONAL_EDITOR: {NATIONAL: (Y, Y, Y, Y, Y, Y), TOULOUSE: (N, N, N, N, N, N), NANTES: (N, N, N, N, N, N)},
    NATIONAL_ADMIN: {NATIONAL: (N, N, N, N, N, N), TOULOUSE: (N, N, N, N, N, N), NANTES: (N, N, N, N, N, N)},
}
# Translating their own académie's pages: coordinators may (a translation is a new page beside the original, so it
# needs the right to add pages there: courses.admin_views.TranslatePageView).
ACTIONS = ("view", "edit", "publish", "lock", "preview", "translate")
CASES = [
    pytest.param(role, content, action, allowed, id=f"{role}-{content}-{action}")
    for role, by_content in TABLE.items()
    for content, outcomes in by_content.items()
    for action, allowed in zip(ACTIONS, outcomes, strict=True)
    if allowed is not None
]


def _course(catalogue: CataloguePage, title: str, slug: str, *, live: bool) -> CoursePage:
    course = CoursePage(title=title, slug=slug, summary="<p>Résumé.</p>", estimated_hours=2, live=live)
    catalogue.add_child(instance=course)
    revision = course.save_revision()
    if live:
        revision.publish()
    return course


@pytest.fixture(scope="module")
def world(search_index, django_db_setup, django_db_blocker):  # search_index: the admin's search and choosers
    with trust.module_world(django_db_blocker):
        people = trust.make_people()
        national_fr = {c.locale.language_code: c for c in setup_national_catalogue()}["fr"]
        catalogues = {NATIONAL: national_fr}
        for content, name in ((TOULOUSE, "Toulouse"), (NANTES, "Nantes")):
            pages, _group = setup_academy(academie=Academie.objects.get(name=name))
            catalogues[content] = next(p for p in pages if p.locale.language_code == "fr")
        courses = {
            NATIONAL: _course(national_fr, "Parcours national", "parcours-national", live=True),
            # The académies' courses are unpublished drafts: invisible (titles included) to other académies.
            TOULOUSE: _course(catalogues[TOULOUSE], "Brouillon toulousain", "brouillon-toulousain", live=False),
            NANTES: _course(catalogues[NANTES], "Brouillon nantais", "brouillon-nantais", live=False),
        }
        yield {"people": people, "courses": courses, "catalogues": catalogues}


def _form(course: CoursePage, title: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": course.slug,
            "summary": rich_text("<p>Résumé.</p>"),
            "objectives": rich_text(""),
            "credits": rich_text(""),
            "estimated_hours": "2",
            "licence": "CC BY-SA 4.0",
        }
    )


def _refused(response) -> bool:
    return response.status_code in (302, 403, 404)


@pytest.mark.parametrize(("role", "content", "action", "allowed"), CASES)
def test_page_permissions(world, db, client, role, content, action, allowed):
    user = world["people"][role]
    course = CoursePage.objects.get(pk=world["courses"][content].pk)
    client.force_login(user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    before_revisions = course.revisions.count()
    new_title = f"{course.title} — modifié"

    if action == "view":
        response = client.get(reverse("wagtailadmin_explore", args=[world["catalogues"][content].pk]))
        shown = response.status_code == 200 and course.title in response.content.decode()
        assert shown is allowed, response.status_code
    elif action == "edit":
        response = client.post(edit_url, _form(course, new_title))
        course.refresh_from_db()
        saved = course.revisions.count() == before_revisions + 1
        assert saved is allowed
        assert (course.get_latest_revision_as_object().title == new_title) is allowed
        if course.live:
            assert course.title != new_title  # a draft never changes the live page
        assert (response.status_code == 302) if allowed else _refused(response)
    elif action == "publish":
        response = client.post(edit_url, {**_form(course, new_title), "action-publish": "publish"})
        course.refresh_from_db()
        assert (course.live and course.title == new_title) is allowed, response.status_code
    elif action == "lock":
        response = client.post(reverse("wagtailadmin_pages:lock", args=[course.pk]))
        course.refresh_from_db()
        assert course.locked is allowed
        assert (course.locked_by_id == user.pk) is allowed
    elif action == "preview":
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
        response = client.post(preview_url, _form(course, new_title))
        if allowed:
            assert response.status_code == 200 and json.loads(response.content)["is_valid"] is True
            shown = client.get(preview_url)
            assert shown.status_code == 200 and new_title in shown.content.decode()
        else:
            assert _refused(response)
        course.refresh_from_db()
        assert course.title != new_title and course.revisions.count() == before_revisions  # nothing recorded
    elif action == "translate":
        response = client.get(reverse("simple_translation:submit_page_translation", args=[course.pk]))
        assert (response.status_code == 200) is allowed, response.status_code
        if not allowed:
            assert _refused(response)


# --- Unpublished pages of another académie are invisible, titles included ---


def _text(response) -> str:
    """The HTML of an admin screen, or of a chooser (which answers in JSON, non-ASCII escaped)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.loads(response.content)["html"]
    return response.content.decode()


def _titles_seen(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return _text(response)


@pytest.mark.parametrize("role", [COORD_TOULOUSE, NATIONAL_EDITOR, MANAGER])
def test_another_academies_drafts_are_invisible_in_explorer_search_and_choosers(world, db, client, role):
    client.force_login(world["people"][role])
    hidden = "Brouillon nantais"
    home = Page.objects.get(pk=world["catalogues"][NANTES].get_parent().pk)
    places = [
        (reverse("wagtailadmin_pages:search"), {"q": "Brouillon"}),
        (reverse("wagtailadmin_choose_page"), {}),
        (reverse("wagtailadmin_choose_page_child", args=[world["catalogues"][NANTES].pk]), {}),
        (reverse("wagtailadmin_choose_page_search"), {"q": "Brouillon"}),
    ]
    if role == COORD_TOULOUSE:
        places.append((reverse("wagtailadmin_explore", args=[home.pk]), {}))
    for url, params in places:
        response = client.get(url, params)
        if response.status_code == 200:
            assert hidden not in _text(response), url
        else:
            assert _refused(response), url
    explore_nantes = client.get(reverse("wagtailadmin_explore", args=[world["catalogues"][NANTES].pk]))
    assert hidden not in explore_nantes.content.decode()


def test_a_coordinator_sees_their_own_drafts_and_the_live_pages_of_others_in_the_chooser(world, db, client):
    nantes_live = _course(world["catalogues"][NANTES], "Parcours publié nantais", "parcours-publie-nantais", live=True)
    client.force_login(world["people"][COORD_TOULOUSE])
    html = _titles_seen(client, reverse("wagtailadmin_choose_page_search"), q="Brouillon")
    assert "Brouillon toulousain" in html and "Brouillon nantais" not in html
    html = _titles_seen(client, reverse("wagtailadmin_choose_page_child", args=[world["catalogues"][NANTES].pk]))
    assert nantes_live.title in html and "Brouillon nantais" not in html
    client.force_login(world["people"][MODERATOR])  # moderators review every académie's drafts
    html = _titles_seen(client, reverse("wagtailadmin_choose_page_search"), q="Brouillon")
    assert "Brouillon toulousain" in html and "Brouillon nantais" in html


def test_a_coordinators_proposal_on_a_national_page_goes_live_only_once_a_moderator_approves(world, db, client):
    from wagtail.models import WorkflowState

    course = CoursePage.objects.get(pk=world["courses"][NATIONAL].pk)
    client.force_login(world["people"][COORD_TOULOUSE])
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    client.post(edit_url, {**_form(course, "Parcours national amendé"), "action-submit": "submit"})
    state = WorkflowState.objects.get(object_id=str(course.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    course.refresh_from_db()
    assert course.title == "Parcours national"  # still the live version
    # While it is in moderation, another académie's coordinator cannot touch it.
    client.force_login(world["people"][COORD_NANTES])
    client.post(edit_url, _form(course, "Parcours national détourné"))
    assert course.get_latest_revision_as_object().title == "Parcours national amendé"
    # The moderator approves: it goes live.
    client.force_login(world["people"][MODERATOR])
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.title == "Parcours national amendé" and course.live


def test_a_coordinator_who_moves_academie_loses_the_old_catalogue_at_once(world, db):
    from django.contrib.auth.models import Group

    from lms.models import User
    from lms.roles import COORDINATORS

    coordinator = User.objects.get(pk=world["people"][COORD_TOULOUSE].pk)
    toulouse = Page.objects.get(pk=world["catalogues"][TOULOUSE].pk)
    nantes = Page.objects.get(pk=world["catalogues"][NANTES].pk)
    assert toulouse.permissions_for_user(coordinator).can_add_subpage()
    coordinator.academie = Academie.objects.get(name="Nantes")
    coordinator.save()
    coordinator = User.objects.get(pk=coordinator.pk)
    assert not toulouse.permissions_for_user(coordinator).can_add_subpage()
    assert nantes.permissions_for_user(coordinator).can_add_subpage()
    # No longer a coordinator: no académie catalogue at all.
    coordinator.groups.remove(Group.objects.get(name=COORDINATORS))
    coordinator = User.objects.get(pk=coordinator.pk)
    assert not nantes.permissions_for_user(coordinator).can_add_subpage()
    # Made coordinator after `setup_academy` ran: gets their académie's catalogue.
    newcomer = User.objects.create_user(email="nouveau@ac-toulouse.fr", academie=Academie.objects.get(name="Toulouse"))
    newcomer.groups.add(Group.objects.get(name=COORDINATORS))
    newcomer = User.objects.get(pk=newcomer.pk)
    assert toulouse.permissions_for_user(newcomer).can_add_subpage()
