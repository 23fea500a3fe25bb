"""Competency frameworks are national content (docs/permissions.md): every role × view, edit, add, publish on the
UNESCO framework, through the admin URLs (status and database effect). An edit is a draft: the public page shows
it only once a national editor or a moderator publishes it. There is no académie framework, hence no own/other axis.
"""

from __future__ import annotations

from django.urls import reverse

import pytest

from competencies.models import CompetencyItem, Framework
from tests import trust
from tests.trust import (
    COORD_NANTES,
    COORD_TOULOUSE,
    MANAGER,
    MODERATOR,
    NATIONAL_ADMIN,
    NATIONAL_EDITOR,
    TEACHER,
)

Y, N = True, False
# role: (view, edit, add, publish)
TABLE = {
    TEACHER: (N, N, N, N),
    COORD_TOULOUSE: (Y, N, N, N),
    COORD_NANTES: (Y, N, N, N),
    MODERATOR: (Y, N, N, Y),
    MANAGER: (Y, N, N, N),
    NATIONAL_EDITOR: (Y, Y, Y, Y),
    NATIONAL_ADMIN: (Y, N, N, N),
}
ACTIONS = ("view", "edit", "add", "publish")
CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}")
    for role, outcomes in TABLE.items()
    for action, allowed in zip(ACTIONS, outcomes, strict=True)
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with trust.module_world(django_db_blocker):
        people = trust.make_people()
        yield {"people": people}


@pytest.fixture
def unesco(db):
    return Framework.objects.get(code="unesco-aicft-2024")


def _item(framework, code) -> CompetencyItem:
    return CompetencyItem.objects.get(framework=framework, code=code)


def _data(item: CompetencyItem, label_fr: str) -> dict:
    return {
        "code": item.code,
        "item_type": item.item_type,
        "label_fr": label_fr,
        "statement_fr": item.statement_fr,
        "label_en": item.label_en,
        "statement_en": item.statement_en,
        "parent": item.get_parent().pk if item.depth > 1 else "",
        "position": "",
    }


def _refused(response) -> bool:
    return response.status_code in (302, 403)


@pytest.mark.parametrize(("role", "action", "allowed"), CASES)
def test_framework_permissions(world, unesco, client, role, action, allowed):
    client.force_login(world["people"][role])
    item = _item(unesco, "2.2")
    live_label = item.label_fr
    if action == "view":
        response = client.get(reverse("competencies_admin:tree", args=[unesco.pk]))
        assert (response.status_code == 200) is allowed, response.status_code
    elif action == "edit":
        response = client.post(reverse("competencies_admin:item_edit", args=[item.pk]), _data(item, "Changé"))
        item.refresh_from_db()
        assert item.label_fr == live_label  # a draft, whoever saves it
        assert (item.get_latest_revision_as_object().label_fr == "Changé") is allowed, response.status_code
        assert (response.status_code == 302) if allowed else _refused(response)
    elif action == "add":
        data = {**_data(item, "Nouvel indicateur"), "code": "2.2.9", "parent": item.pk, "position": "last-child"}
        response = client.post(reverse("competencies_admin:item_add", args=[unesco.pk]), data)
        created = CompetencyItem.objects.filter(framework=unesco, code="2.2.9").first()
        assert (created is not None) is allowed, response.status_code
        if created is not None:
            assert not created.live  # waits for publication
    elif action == "publish":
        item.label_fr = "Publié par la relecture"
        item.save_revision()
        response = client.post(reverse("competencies_admin:item_publish", args=[item.pk]))
        item.refresh_from_db()
        assert (item.label_fr == "Publié par la relecture") is allowed, response.status_code
        assert item.has_unpublished_changes is not allowed


def test_a_nantes_coordinator_cannot_change_the_public_unesco_framework(world, unesco, client):
    item = _item(unesco, "2.2")
    public = reverse("competencies:framework", args=[unesco.code])
    before = client.get(public).content.decode()
    client.force_login(world["people"][COORD_NANTES])
    for response in (
        client.post(reverse("competencies_admin:item_edit", args=[item.pk]), _data(item, "Détourné")),
        client.post(reverse("competencies_admin:item_reorder", args=[item.pk, "up"])),
        client.post(reverse("competencies_admin:item_delete", args=[_item(unesco, "5").pk])),
        client.post(reverse("competencies_admin:item_publish", args=[item.pk])),
        client.post(reverse("competencies_admin:framework_edit", args=[unesco.pk]), {"code": "pirate"}),
    ):
        assert _refused(response)
    client.logout()
    assert client.get(public).content.decode() == before
    assert not item.revisions.exists() and CompetencyItem.objects.filter(framework=unesco).count() == 20


def test_an_edit_reaches_the_public_page_only_once_published(world, unesco, client):
    item = _item(unesco, "2.2")
    public = reverse("competencies:framework", args=[unesco.code])
    client.force_login(world["people"][NATIONAL_EDITOR])
    client.post(reverse("competencies_admin:item_edit", args=[item.pk]), _data(item, "Usage sûr relu"))
    tree = client.get(reverse("competencies_admin:tree", args=[unesco.pk])).content.decode()
    assert "Changes awaiting publication" in tree or "Modifications en attente de publication" in tree
    client.logout()
    assert "Usage sûr relu" not in client.get(public).content.decode()
    client.force_login(world["people"][MODERATOR])
    client.post(reverse("competencies_admin:item_publish", args=[item.pk]))
    client.logout()
    assert "Usage sûr relu" in client.get(public).content.decode()
