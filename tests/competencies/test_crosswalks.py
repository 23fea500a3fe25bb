"""Crosswalks between frameworks: authoring in the admin, CASE import/export, the public page, the evidence rule."""

import json

from django.utils import translation

import pytest

from competencies.crosswalks import CrosswalkError, add_crosswalk, exact_matches
from competencies.evidence import record_evidence
from competencies.exporting import export_framework
from competencies.importing import import_framework
from competencies.models import CompetencyItem, Evidence, Framework, ItemAssociation, PendingAssociation
from competencies.selectors import competency_profile
from lms.roles import ACADEMY_MANAGERS, COORDINATORS, NATIONAL_EDITORS, TEACHERS

pytestmark = pytest.mark.django_db
OSALT = "18fa96fa-a847-5596-aaf8-774011595a15"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def other(data_file, unesco):
    import_framework(data=data_file("opensalt_case11.json"))
    return Framework.objects.get(identifier=OSALT)


def item(framework, code):
    return CompetencyItem.objects.get(framework=framework, code=code)


def editor_url(left, right):
    return f"/admin/competences/crosswalks/?left={left.pk}&right={right.pk}"


# --- Authoring -----------------------------------------------------------------------------------------------------


def test_the_editor_shows_both_trees_and_adds_a_link(admin_client, other, unesco):
    html = admin_client.get(editor_url(other, unesco)).content.decode()
    assert "Agentivité humaine" in html and "Numérique responsable" in html  # one tree on each side
    assert html.count('type="radio" name="origin"') == CompetencyItem.objects.filter(framework=other).count()
    assert html.count('type="radio" name="destination"') == 20
    response = admin_client.post(
        editor_url(other, unesco),
        {
            "origin": item(other, "A").pk,
            "destination": item(unesco, "3.1").pk,
            "association_type": "exactMatchOf",
            "notes": "Source: https://example.org/table",
        },
    )
    assert response.status_code == 302
    link = ItemAssociation.objects.get(association_type="exactMatchOf")
    assert (link.framework, link.origin.code, link.destination.code) == (other, "A", "3.1")
    html = admin_client.get(editor_url(other, unesco)).content.decode()
    assert "https://example.org/table" in html and "A – 3.1" in html
    admin_client.post(f"/admin/competences/crosswalks/{link.pk}/delete/")
    assert not ItemAssociation.objects.filter(association_type="exactMatchOf").exists()


def test_a_link_without_a_source_is_refused(admin_client, other, unesco):
    data = {"origin": item(other, "A").pk, "destination": item(unesco, "3.1").pk, "association_type": "isRelatedTo"}
    before = ItemAssociation.objects.count()
    response = admin_client.post(editor_url(other, unesco), {**data, "notes": "  "})
    assert response.status_code == 200 and 'id="id_notes"' in response.content.decode()
    assert "error" in response.content.decode().split('id="id_notes"')[0][-2000:]
    assert ItemAssociation.objects.count() == before


def test_service_rules(other, unesco):
    with pytest.raises(CrosswalkError, match="two different frameworks"):
        add_crosswalk(origin=item(unesco, "1.1"), destination=item(unesco, "1.2"), association_type="exactMatchOf",
                      notes="x")  # fmt: skip
    with pytest.raises(CrosswalkError, match="Type"):
        add_crosswalk(origin=item(other, "A"), destination=item(unesco, "1.2"), association_type="precedes", notes="x")
    add_crosswalk(origin=item(other, "A"), destination=item(unesco, "1.2"), association_type="exactMatchOf", notes="x")
    with pytest.raises(CrosswalkError, match="already linked"):
        add_crosswalk(origin=item(unesco, "1.2"), destination=item(other, "A"), association_type="exactMatchOf",
                      notes="y")  # fmt: skip


@pytest.mark.parametrize(
    "role, allowed", [(NATIONAL_EDITORS, True), (COORDINATORS, False), (ACADEMY_MANAGERS, False), (TEACHERS, False)]
)  # fmt: skip
def test_who_may_author_crosswalks(client, make_user, other, unesco, role, allowed):
    client.force_login(make_user(email=f"{role[:5]}@ac-nice.fr", role=role))
    response = client.get(editor_url(other, unesco))
    assert (response.status_code == 200) == allowed  # others: 403, or sent away from the admin
    response = client.post(
        editor_url(other, unesco),
        {"origin": item(other, "A").pk, "destination": item(unesco, "3.1").pk, "association_type": "exactMatchOf",
         "notes": "src"},
    )  # fmt: skip
    assert ItemAssociation.objects.filter(association_type="exactMatchOf").exists() == allowed
    assert response.status_code in (302, 403)


def test_anonymous_visitors_cannot_open_the_editor(client, other, unesco):
    response = client.get(editor_url(other, unesco))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- CASE import / export ------------------------------------------------------------------------------------------


def test_crosswalks_travel_in_the_case_export_with_their_source(other, unesco):
    add_crosswalk(origin=item(other, "A"), destination=item(unesco, "3.1"), association_type="exactMatchOf",
                  notes="Source: a public table")  # fmt: skip
    exported = export_framework(framework=other, format_name="case")
    link = next(a for a in json.loads(exported)["CFAssociations"] if a["associationType"] == "exactMatchOf")
    assert link["notes"] == "Source: a public table"
    assert link["destinationNodeURI"]["identifier"] == str(item(unesco, "3.1").identifier)
    # Back into a database holding UNESCO but not the other framework.
    Evidence.objects.all().delete()
    ItemAssociation.objects.all().delete()
    other.delete()
    import_framework(data=exported)
    restored = ItemAssociation.objects.get(association_type="exactMatchOf")
    assert (restored.origin.code, restored.destination.code, restored.notes) == ("A", "3.1", "Source: a public table")
    assert PendingAssociation.objects.count() == 0
    assert export_framework(framework=Framework.objects.get(identifier=OSALT), format_name="case") == exported


# --- Public page and evidence --------------------------------------------------------------------------------------


def test_the_public_page_lists_the_matches_under_each_item(client, other, unesco):
    add_crosswalk(origin=item(other, "A"), destination=item(unesco, "3.1"), association_type="exactMatchOf",
                  notes="src")  # fmt: skip
    add_crosswalk(origin=item(other, "B"), destination=item(unesco, "2.2"), association_type="isRelatedTo",
                  notes="src")  # fmt: skip
    html = client.get("/en/competencies/unesco-aicft-2024/").content.decode()
    section = html[html.index(f'id="{item(unesco, "3.1").identifier}"') :]
    section = section[: section.index("</li>")]
    assert "exact match of" in section and "Référentiel IA académique — A" in section
    assert f'href="/en/competencies/{other.code}/#{item(other, "A").identifier}"' in section
    assert "is related to" in html
    html = client.get(f"/en/competencies/{other.code}/").content.decode()
    assert "3.1 Basic AI techniques and applications" in html


def test_public_page_queries_stay_constant_with_crosswalks(client, other, unesco, django_assert_max_num_queries):
    for code in ("1.1", "2.1", "3.1"):
        add_crosswalk(origin=item(other, "A"), destination=item(unesco, code), association_type="isRelatedTo",
                      notes="src")  # fmt: skip
    client.get("/competences/unesco-aicft-2024/")
    with django_assert_max_num_queries(12):
        client.get("/competences/unesco-aicft-2024/")


def test_evidence_on_a_matched_item_counts_for_exact_matches_only(make_user, other, unesco):
    learner = make_user(email="learner@ac-nice.fr", role=TEACHERS)
    add_crosswalk(origin=item(other, "A"), destination=item(unesco, "3.1"), association_type="exactMatchOf",
                  notes="src")  # fmt: skip
    add_crosswalk(origin=item(other, "B"), destination=item(unesco, "2.2"), association_type="isRelatedTo",
                  notes="src")  # fmt: skip
    for code in ("A", "B"):
        for n in range(3):
            record_evidence(user=learner, item=item(other, code), source_key="quiz", attempt_key="1",
                            question_key=f"{code}{n}", correct=True)  # fmt: skip
    rows = {row.item.code: row for row in competency_profile(user=learner, framework=unesco)}
    assert rows["3.1"].state == "secured" and rows["3.1"].matched_evidence == 3
    assert rows["2.2"].state == "not_started"  # isRelatedTo carries nothing
    # Either way, one step.
    rows = {row.item.code: row for row in competency_profile(user=learner, framework=other)}
    assert rows["A"].matched_evidence == 0 and rows["A"].state == "secured"
    assert exact_matches(item_ids=[item(unesco, "3.1").pk]) == {item(unesco, "3.1").pk: {item(other, "A").pk}}


def test_profile_queries_stay_constant(make_user, other, unesco, django_assert_max_num_queries):
    learner = make_user(email="learner@ac-nice.fr", role=TEACHERS)
    add_crosswalk(origin=item(other, "A"), destination=item(unesco, "3.1"), association_type="exactMatchOf",
                  notes="src")  # fmt: skip
    with django_assert_max_num_queries(3):
        competency_profile(user=learner, framework=unesco)
