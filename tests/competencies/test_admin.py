import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from competencies.models import CompetencyItem, Framework
from competencies.selectors import framework_items
from lms.roles import NATIONAL_EDITORS, TEACHERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user, client):
    """The frameworks are national content: a national editor edits them (coordinators only read them)."""
    user = make_user(email="editeur@education.gouv.fr", role=NATIONAL_EDITORS)
    client.force_login(user)
    return user


def codes(framework):
    return [(i.code, i.depth) for i in framework_items(framework=framework, live_only=False)]


def item(framework, code):
    return CompetencyItem.objects.get(framework=framework, code=code)


def test_coordinator_sees_the_menu_and_the_indented_tree(coordinator, client, unesco):
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("competencies_admin:index") in response.content.decode()
    response = client.get(reverse("competencies_admin:tree", args=[unesco.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # In order, nested lists: aspect 2 then its competencies inside it, before aspect 3.
    positions = [
        html.index(f'id="item-{item(unesco, code).pk}"') for code in ("1", "1.1", "1.3", "2", "2.1", "2.3", "3")
    ]
    assert positions == sorted(positions)
    assert html.count('<ul class="competency-tree"') == 6  # the top list and one per aspect


def test_teacher_cannot_open_the_screens(make_user, client, unesco):
    client.force_login(make_user(email="prof@ac-lyon.fr", role=TEACHERS))
    response = client.get(reverse("competencies_admin:tree", args=[unesco.pk]))
    assert response.status_code in (302, 403)


def test_create_item_under_a_parent_first(coordinator, client, unesco):
    parent = item(unesco, "2")
    response = client.post(
        reverse("competencies_admin:item_add", args=[unesco.pk]),
        {
            "code": "2.0",
            "item_type": "indicator",
            "label_fr": "Indicateur",
            "statement_fr": "Un indicateur",
            "label_en": "",
            "statement_en": "",
            "parent": parent.pk,
            "position": "first-child",
        },
    )
    assert response.status_code == 302
    assert [c.code for c in item(unesco, "2").get_children()] == ["2.0", "2.1", "2.2", "2.3"]
    created = item(unesco, "2.0")
    assert created.depth == 2 and created.label_fr == "Indicateur"
    assert CompetencyItem.find_problems() == ([], [], [], [], [])
    # A draft until published: not on the public page.
    assert not created.live
    public = reverse("competencies:framework", args=[unesco.code])
    assert "Un indicateur" not in client.get(public).content.decode()
    client.post(reverse("competencies_admin:item_publish", args=[created.pk]))
    assert item(unesco, "2.0").live
    assert "Un indicateur" in client.get(public).content.decode()


def test_create_top_level_item_last(coordinator, client, unesco):
    client.post(
        reverse("competencies_admin:item_add", args=[unesco.pk]),
        {
            "code": "6",
            "item_type": "aspect",
            "label_fr": "Nouvel aspect",
            "label_en": "New aspect",
            "statement_fr": "",
            "statement_en": "",
            "parent": "",
            "position": "last-child",
        },
    )
    assert codes(unesco)[-1] == ("6", 1)


def test_duplicate_code_is_refused_with_a_message(coordinator, client, unesco):
    response = client.post(
        reverse("competencies_admin:item_add", args=[unesco.pk]),
        {
            "code": "2.2",
            "item_type": "competency",
            "label_fr": "Doublon",
            "statement_fr": "",
            "label_en": "",
            "statement_en": "",
            "parent": "",
            "position": "last-child",
        },
    )
    assert response.status_code == 200
    assert "2.2" in response.content.decode()
    assert CompetencyItem.objects.filter(framework=unesco).count() == 20


def test_move_item_to_another_parent_with_edit_form(coordinator, client, unesco):
    moving = item(unesco, "2.2")
    response = client.post(
        reverse("competencies_admin:item_edit", args=[moving.pk]),
        {
            "code": "2.2",
            "item_type": "competency",
            "label_fr": "Utilisation sûre",
            "statement_fr": moving.statement_fr,
            "label_en": moving.label_en,
            "statement_en": moving.statement_en,
            "parent": item(unesco, "3").pk,
            "position": "first-child",
        },
    )
    assert response.status_code == 302
    assert [c.code for c in item(unesco, "3").get_children()] == ["2.2", "3.1", "3.2", "3.3"]
    assert [c.code for c in item(unesco, "2").get_children()] == ["2.1", "2.3"]
    assert CompetencyItem.find_problems() == ([], [], [], [], [])
    # The move applies at once; the new label is a draft until published, and publishing keeps the new place.
    moved = item(unesco, "2.2")
    assert moved.label_fr != "Utilisation sûre" and moved.has_unpublished_changes
    assert moved.get_latest_revision_as_object().label_fr == "Utilisation sûre"
    client.post(reverse("competencies_admin:item_publish", args=[moved.pk]))
    assert item(unesco, "2.2").label_fr == "Utilisation sûre"
    assert [c.code for c in item(unesco, "3").get_children()] == ["2.2", "3.1", "3.2", "3.3"]
    assert CompetencyItem.find_problems() == ([], [], [], [], [])


def test_move_under_own_descendant_is_refused(coordinator, client, unesco):
    aspect = item(unesco, "2")
    form = client.get(reverse("competencies_admin:item_edit", args=[aspect.pk])).content.decode()
    assert f'value="{item(unesco, "2.1").pk}"' not in form  # descendants are not offered
    response = client.post(
        reverse("competencies_admin:item_edit", args=[aspect.pk]),
        {
            "code": "2",
            "item_type": "aspect",
            "label_fr": aspect.label_fr,
            "statement_fr": "",
            "label_en": "",
            "statement_en": "",
            "parent": item(unesco, "2.1").pk,
            "position": "",
        },
    )
    assert response.status_code == 200
    assert item(unesco, "2").depth == 1


def test_reorder_up_and_down(coordinator, client, unesco):
    client.post(reverse("competencies_admin:item_reorder", args=[item(unesco, "4.3").pk, "up"]))
    assert [c.code for c in item(unesco, "4").get_children()] == ["4.1", "4.3", "4.2"]
    client.post(reverse("competencies_admin:item_reorder", args=[item(unesco, "1").pk, "down"]))
    assert [code for code, depth in codes(unesco) if depth == 1] == ["2", "1", "3", "4", "5"]
    assert CompetencyItem.find_problems() == ([], [], [], [], [])


def test_reorder_needs_post(coordinator, client, unesco):
    assert (
        client.get(reverse("competencies_admin:item_reorder", args=[item(unesco, "4.3").pk, "up"])).status_code == 405
    )


def test_delete_item_with_children(coordinator, client, unesco):
    client.post(reverse("competencies_admin:item_delete", args=[item(unesco, "5").pk]))
    assert not CompetencyItem.objects.filter(framework=unesco, code__startswith="5").exists()
    assert CompetencyItem.objects.filter(framework=unesco).count() == 16


def test_download_buttons(coordinator, client, unesco):
    response = client.get(reverse("competencies_admin:export", args=[unesco.pk, "case"]) + "?language=en")
    assert response["Content-Disposition"] == 'attachment; filename="unesco-aicft-2024-en.json"'
    assert json.loads(response.content)["CFDocument"]["language"] == "en"
    response = client.get(reverse("competencies_admin:export", args=[unesco.pk, "moodle-csv"]))
    assert response["Content-Type"].startswith("text/csv")


def test_upload_shows_a_preview_then_imports(coordinator, client, data_file):
    upload = SimpleUploadedFile("referentiel.json", data_file("opensalt_case11.json"), content_type="application/json")
    response = client.post(reverse("competencies_admin:import"), {"file": upload, "format": "", "language": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "A.1.a" in html and "Référentiel IA académique" in html
    assert not Framework.objects.filter(title_fr="Référentiel IA académique").exists()  # only a preview
    token = response.context["confirm"].initial["token"]
    response = client.post(
        reverse("competencies_admin:import_confirm"),
        {"token": token, "filename": "referentiel.json", "format": "", "language": ""},
    )
    assert response.status_code == 302
    framework = Framework.objects.get(title_fr="Référentiel IA académique")
    assert framework.items.count() == 6


def test_upload_of_a_bad_file_lists_the_problems(coordinator, client):
    bad = SimpleUploadedFile("bad.csv", b"a,b,c\n1,2,3\n", content_type="text/csv")
    response = client.post(reverse("competencies_admin:import"), {"file": bad, "format": "moodle-csv", "language": ""})
    assert response.status_code == 200
    assert "14" in response.content.decode()
    assert Framework.objects.count() == 1


def test_tree_of_1000_items_is_a_constant_number_of_queries(coordinator, client, unesco, django_assert_max_num_queries):
    framework = Framework.objects.create(code="big", title_fr="Gros")
    rows = []
    for n in range(1, 51):
        root = CompetencyItem._get_path(None, 1, 100 + n)
        rows.append(
            CompetencyItem(
                framework=framework,
                path=root,
                depth=1,
                numchild=19,
                code=f"{n}",
                label_fr=f"D{n}",
                identifier=uuid.uuid4(),
            )
        )
        rows += [
            CompetencyItem(
                framework=framework,
                path=CompetencyItem._get_path(root, 2, m),
                depth=2,
                code=f"{n}.{m}",
                label_fr="x",
                identifier=uuid.uuid4(),
            )
            for m in range(1, 20)
        ]
    CompetencyItem.objects.bulk_create(rows)
    client.get(reverse("competencies_admin:tree", args=[framework.pk]))  # warm up session/permissions caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("competencies_admin:tree", args=[unesco.pk]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("competencies_admin:tree", args=[framework.pk]))
    assert response.content.decode().count('id="item-') == 1000
