"""The read-only CASE 1.1 API, read back by our own importer into an empty database."""

import json

from django.conf import settings

import pytest

from competencies.exporting import export_framework
from competencies.importing import import_framework, import_frameworks
from competencies.models import CompetencyItem, Evidence, Framework, ItemAssociation, PendingAssociation

pytestmark = pytest.mark.django_db
API = "/ims/case/v1p1"


@pytest.fixture
def frameworks(unesco, data_file):
    """UNESCO (ours), a package using every optional field and several parents, an OpenSALT package, and a
    crosswalk from the OpenSALT package to UNESCO."""
    import_framework(data=data_file("case11_all_fields.json"))
    import_framework(data=data_file("opensalt_case11.json"))
    osalt = Framework.objects.get(identifier="18fa96fa-a847-5596-aaf8-774011595a15")
    ItemAssociation.objects.create(
        framework=osalt,
        association_type="exactMatchOf",
        origin=CompetencyItem.objects.get(framework=osalt, code="A"),
        destination=CompetencyItem.objects.get(framework=unesco, code="3.1"),
        notes="Source: test.",
    )
    return Framework.objects.order_by("code")


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def uris(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "uri" and isinstance(inner, str):
                yield inner
            else:
                yield from uris(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from uris(inner)


def test_documents_list_and_one_document(client, frameworks):
    body = get_json(client, f"{API}/CFDocuments")
    assert {d["identifier"] for d in body["CFDocuments"]} == {str(f.identifier) for f in frameworks}
    unesco = next(d for d in body["CFDocuments"] if d["extensions"]["code"] == "unesco-aicft-2024")
    assert unesco["uri"] == f"{settings.PLATFORM_BASE_URL}{API}/CFDocuments/{unesco['identifier']}"
    assert get_json(client, f"{API}/CFDocuments/{unesco['identifier']}") == unesco
    english = get_json(client, f"{API}/CFDocuments/{unesco['identifier']}?language=en")
    assert english["language"] == "en" and english["title"] != unesco["title"]


@pytest.mark.parametrize("kind", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemAssociations",
                                  "CFConcepts", "CFLicenses"])  # fmt: skip
def test_unknown_identifiers_answer_404_in_json(client, frameworks, kind):
    for identifier in ("5c0ffee0-0000-4000-8000-000000000000", "not-a-uuid"):
        body = get_json(client, f"{API}/{kind}/{identifier}", status=404)
        assert body["imsx_codeMajor"] == "failure"
        assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unknownobject"


def test_the_api_is_read_only_and_public(client, frameworks):
    framework = frameworks.first()
    assert client.post(f"{API}/CFPackages/{framework.identifier}").status_code == 405
    assert client.get(f"{API}/CFPackages/{framework.identifier}")["Access-Control-Allow-Origin"] == "*"


def test_every_uri_on_our_server_resolves_to_its_object(client, frameworks):
    base = settings.PLATFORM_BASE_URL
    seen = 0
    for document in get_json(client, f"{API}/CFDocuments")["CFDocuments"]:
        package = get_json(client, f"{API}/CFPackages/{document['identifier']}")
        for uri in set(uris(package)):
            if not uri.startswith(base):
                continue  # an imported framework keeps its publisher's URIs
            body = get_json(client, uri.removeprefix(base))
            assert body["identifier"] == uri.rsplit("/", 1)[1]
            seen += 1
    assert seen >= 41  # UNESCO: its document, 20 items and 20 tree links, at least


def test_item_associations_include_crosswalks_from_other_frameworks(client, frameworks):
    item = CompetencyItem.objects.get(framework__code="unesco-aicft-2024", code="3.1")
    body = get_json(client, f"{API}/CFItemAssociations/{item.identifier}")
    assert body["CFItem"]["humanCodingScheme"] == "3.1"
    kinds = sorted(a["associationType"] for a in body["CFAssociations"])
    assert kinds == ["exactMatchOf", "isChildOf"]  # its parent, and the match from the OpenSALT framework
    match = next(a for a in body["CFAssociations"] if a["associationType"] == "exactMatchOf")
    assert match["notes"] == "Source: test." and match["destinationNodeURI"]["identifier"] == str(item.identifier)
    assert get_json(client, f"{API}/CFAssociations/{match['identifier']}") == match


def test_definitions(client, frameworks, data_file):
    definitions = json.loads(data_file("case11_all_fields.json"))["CFDefinitions"]
    concept = definitions["CFConcepts"][0]
    assert get_json(client, f"{API}/CFConcepts/{concept['identifier']}") == {"CFConcepts": [concept]}
    licence = definitions["CFLicenses"][0]
    assert get_json(client, f"{API}/CFLicenses/{licence['identifier']}") == licence
    item_type = definitions["CFItemTypes"][1]
    assert get_json(client, f"{API}/CFItemTypes/{item_type['identifier']}") == {"CFItemTypes": [item_type]}


def test_read_back_by_our_importer_into_an_empty_database(client, frameworks):
    """Read every package from the API, empty the database, import them together, compare."""
    served = {}
    for document in get_json(client, f"{API}/CFDocuments")["CFDocuments"]:
        response = client.get(f"{API}/CFPackages/{document['identifier']}")
        served[document["identifier"]] = response.content
    assert len(served) == 3
    Evidence.objects.all().delete()
    PendingAssociation.objects.all().delete()
    ItemAssociation.objects.all().delete()
    CompetencyItem.objects.all().delete()
    Framework.objects.all().delete()
    reports = import_frameworks(files=[(f"{key}.json", data) for key, data in served.items()])
    assert all(r.framework_created and r.pending == 0 for r in reports)
    assert Framework.objects.count() == 3
    for identifier, data in served.items():
        framework = Framework.objects.get(identifier=identifier)
        assert json.loads(export_framework(framework=framework, format_name="case")) == json.loads(data)
        assert get_json(client, f"{API}/CFPackages/{identifier}") == json.loads(data)
    assert ItemAssociation.objects.filter(association_type="exactMatchOf").count() == 1


def test_package_queries_do_not_grow_with_items(client, frameworks, django_assert_max_num_queries):
    unesco = Framework.objects.get(code="unesco-aicft-2024")
    with django_assert_max_num_queries(6):
        client.get(f"{API}/CFPackages/{unesco.identifier}")
