"""Liberal in what we accept, exact in what we write: text sequence numbers, several parents, frameworks that refer
to each other, every optional CASE 1.1 field and CFDefinitions kept and written back byte for byte."""

import io
import json
import uuid

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import translation

import pytest

from competencies.evidence import record_evidence
from competencies.exporting import export_framework
from competencies.formats import FormatError
from competencies.importing import import_framework, import_frameworks
from competencies.management.commands import import_framework as command
from competencies.models import CompetencyItem, Evidence, Framework, ItemAssociation, PendingAssociation
from competencies.selectors import competency_profile, framework_tree

pytestmark = pytest.mark.django_db

NS = uuid.UUID("0d7f2b8e-1c4a-4e0f-9a51-2f6f1e3c9b77")
T = "2025-06-02T10:00:00+00:00"


def U(name):
    return str(uuid.uuid5(NS, name))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def empty_database():
    Evidence.objects.all().delete()
    PendingAssociation.objects.all().delete()
    ItemAssociation.objects.all().delete()
    CompetencyItem.objects.all().delete()
    Framework.objects.all().delete()


# --- Sequence numbers written as text (OpenSALT) -------------------------------------------------------------------


def test_sequence_numbers_given_as_text_are_read_as_numbers_with_a_warning(data_file):
    package = json.loads(data_file("opensalt_case11.json"))
    for assoc in package["CFPackage"]["CFAssociations"]:
        if "sequenceNumber" in assoc:
            assoc["sequenceNumber"] = str(assoc["sequenceNumber"])
    data = json.dumps(package).encode()
    [preview] = import_framework(data=data, dry_run=True)
    assert preview.warnings and all("sequenceNumber" in w and "read as the whole number" in w for w in preview.warnings)
    assert Framework.objects.filter(code="unesco-aicft-2024").count() == Framework.objects.count()  # dry run
    [report] = import_framework(data=data)
    framework = Framework.objects.get(code=report.framework_code)
    # The order the numbers give is kept: A (1) before B (2), as with real numbers.
    top = [n["item"].code for n in framework_tree(framework=framework)]
    assert top == ["A", "B"]
    assert b'"sequenceNumber": "' not in export_framework(framework=framework, format_name="case")


def test_admin_preview_shows_the_warnings(admin_client, data_file):
    package = json.loads(data_file("opensalt_case11.json"))
    package["CFPackage"]["CFAssociations"][0]["sequenceNumber"] = "2"

    upload = SimpleUploadedFile("opensalt.json", json.dumps(package).encode(), content_type="application/json")
    response = admin_client.post("/admin/competences/import/", {"file": upload, "format": "", "language": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "lu comme le nombre entier 2" in html  # the admin speaks French by default
    assert "CFAssociations[0]" in html


# --- Several parents -----------------------------------------------------------------------------------------------


@pytest.fixture
def all_fields(data_file):
    return data_file("case11_all_fields.json")


def _codes(nodes, depth=0):
    out = []
    for node in nodes:
        out.append(("  " * depth) + node["item"].code + (" (also)" if node["also"] else ""))
        out += _codes(node["children"], depth + 1)
    return out


def test_an_item_with_two_parents_is_shown_under_both_and_exported_with_both(all_fields, client, admin_client):
    import_framework(data=all_fields)
    framework = Framework.objects.get(code="complet")
    assert CompetencyItem.objects.filter(framework=framework, code="A.1").count() == 1  # one item
    assert _codes(framework_tree(framework=framework)) == ["A", "  A.1", "B", "  A.1 (also)"]
    # Public page: under both parents, one id only (the second occurrence has none).
    html = client.get("/competences/complet/").content.decode()
    assert html.count("Court A.1") == 2
    assert html.count(f'id="{U("A.1")}"') == 1
    # Admin tree: under both, edit buttons once.
    html = admin_client.get(f"/admin/competences/{framework.pk}/").content.decode()
    assert html.count("Court A.1") == 2
    assert "aussi sous ce parent" in html.lower()
    # Export: two isChildOf associations for A.1.
    package = json.loads(export_framework(framework=framework, format_name="case"))
    parents = [
        a["destinationNodeURI"]["identifier"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf" and a["originNodeURI"]["identifier"] == U("A.1")
    ]
    assert parents == [U("A"), U("B")]


def test_evidence_on_an_item_with_two_parents(all_fields, client):
    import_framework(data=all_fields)
    framework = Framework.objects.get(code="complet")
    item = CompetencyItem.objects.get(framework=framework, code="A.1")
    learner = get_user_model().objects.create_user("learner", password="x")
    for n in range(3):
        record_evidence(user=learner, item=item, source_key="quiz", attempt_key="1", question_key=f"q{n}", correct=True)
    profile = {row.item.code: row.state for row in competency_profile(user=learner, framework=framework)}
    assert profile["A.1"] == "secured"
    # Importing the file again keeps the item (and its evidence) and both parents.
    [report] = import_framework(data=all_fields)
    assert report.deleted == [] and Evidence.objects.filter(item=item).count() == 3
    assert _codes(framework_tree(framework=framework)) == ["A", "  A.1", "B", "  A.1 (also)"]


# --- Frameworks that refer to each other ---------------------------------------------------------------------------


def package(name, other, link_type):
    """A one-item framework ``name`` whose item links to the item of framework ``other``."""
    doc = {"identifier": U(name), "uri": f"https://x.example/{name}", "creator": "X", "title": name.upper(),
           "lastChangeDateTime": T, "language": "fr", "extensions": {"code": name}}  # fmt: skip
    item = {"identifier": U(f"{name}-1"), "uri": f"https://x.example/{name}-1", "fullStatement": f"{name} one",
            "humanCodingScheme": "1", "lastChangeDateTime": T}  # fmt: skip
    ref = {"title": "1", "identifier": U(f"{name}-1"), "uri": item["uri"]}
    assocs = [
        {"identifier": U(f"{name}-child"), "uri": "x", "associationType": "isChildOf", "originNodeURI": ref,
         "destinationNodeURI": {"title": name, "identifier": U(name), "uri": doc["uri"]}, "lastChangeDateTime": T},
        {"identifier": U(f"{name}-link"), "uri": "x", "associationType": link_type, "originNodeURI": ref,
         "destinationNodeURI": {"title": f"{other} 1", "identifier": U(f"{other}-1"), "uri": f"https://x.example/{other}-1"},
         "lastChangeDateTime": T, "notes": f"{name} to {other}"},
    ]  # fmt: skip
    return {"CFDocument": doc, "CFItems": [item], "CFAssociations": assocs}


def assert_linked_both_ways():
    assert PendingAssociation.objects.count() == 0
    links = {(a.origin.framework.code, a.association_type, a.destination.framework.code, a.notes)
             for a in ItemAssociation.objects.select_related("origin__framework", "destination__framework")}  # fmt: skip
    assert links == {("p", "exactMatchOf", "q", "p to q"), ("q", "isRelatedTo", "p", "q to p")}


@pytest.mark.parametrize("order", [("p", "q"), ("q", "p")])
def test_two_packages_referring_to_each_other_in_either_order(order):
    packages = {"p": package("p", "q", "exactMatchOf"), "q": package("q", "p", "isRelatedTo")}
    first, second = order
    [report] = import_framework(data=json.dumps(packages[first]).encode())
    assert report.pending == 1 and "not imported yet" in report.warnings[0]
    assert PendingAssociation.objects.count() == 1 and ItemAssociation.objects.count() == 0
    # The pending link is still written back in an export of the first framework.
    exported = json.loads(export_framework(framework=Framework.objects.get(code=first), format_name="case"))
    assert U(f"{second}-1") in {a["destinationNodeURI"]["identifier"] for a in exported["CFAssociations"]}
    [report] = import_framework(data=json.dumps(packages[second]).encode())
    assert report.pending == 0
    assert_linked_both_ways()
    # Importing the first again changes nothing about the links.
    import_framework(data=json.dumps(packages[first]).encode())
    assert_linked_both_ways()


def test_two_packages_referring_to_each_other_in_one_file():
    data = json.dumps([package("p", "q", "exactMatchOf"), package("q", "p", "isRelatedTo")]).encode()
    reports = import_framework(data=data)
    assert [r.framework_code for r in reports] == ["p", "q"] and all(r.pending == 0 for r in reports)
    assert_linked_both_ways()


def test_two_files_imported_together_from_the_command_line(tmp_path):
    paths = []
    for name, other, kind in (("p", "q", "exactMatchOf"), ("q", "p", "isRelatedTo")):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(package(name, other, kind)))
        paths.append(str(path))

    out = io.StringIO()
    call_command("import_framework", *paths, stdout=out, stderr=io.StringIO())
    assert_linked_both_ways()
    assert "p: 1 created" in out.getvalue() and "q: 1 created" in out.getvalue()


def test_service_for_several_files_names_the_file_of_each_problem():
    bad = package("q", "p", "isRelatedTo")
    del bad["CFItems"][0]["fullStatement"]

    with pytest.raises(FormatError) as info:
        import_frameworks(files=[("p.json", json.dumps(package("p", "q", "exactMatchOf")).encode()),
                                 ("q.json", json.dumps(bad).encode())])  # fmt: skip
    assert "q.json" in str(info.value) and "fullStatement" in str(info.value)
    assert not Framework.objects.filter(code__in=["p", "q"]).exists()


# --- Every optional field, CFDefinitions: byte for byte ------------------------------------------------------------


def test_every_optional_field_and_the_definitions_come_back_byte_for_byte(all_fields):
    source = json.loads(all_fields)
    item = next(i for i in source["CFItems"] if i["humanCodingScheme"] == "A.1")
    for key in ("conceptKeywords", "educationLevel", "alternativeLabel", "abbreviatedStatement", "notes",
                "listEnumeration", "statusStartDate", "statusEndDate", "licenseURI", "CFItemTypeURI",
                "conceptKeywordsURI", "subjectURI", "extensions", "language"):  # fmt: skip
        assert key in item, key  # the file really uses them
    for key in ("frameworkType", "statusStartDate", "statusEndDate", "subjectURI", "licenseURI", "notes"):
        assert key in source["CFDocument"], key
    assert set(source["CFDefinitions"]) == {"CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes",
                                            "CFAssociationGroupings"}  # fmt: skip
    import_framework(data=all_fields)
    framework = Framework.objects.get(code="complet")
    assert export_framework(framework=framework, format_name="case") == all_fields
    # And once more from an empty database, through our own export.
    again = export_framework(framework=framework, format_name="case")
    empty_database()
    import_framework(data=again)
    assert export_framework(framework=Framework.objects.get(code="complet"), format_name="case") == all_fields


@pytest.mark.postgres
def test_every_optional_field_round_trip_on_postgresql(all_fields):
    assert connection.vendor == "postgresql"  # jsonb reorders keys: our writer orders them again
    import_framework(data=all_fields)
    assert export_framework(framework=Framework.objects.get(code="complet"), format_name="case") == all_fields


def test_the_optional_fields_of_a_real_opensalt_package_are_kept(data_file):
    import_framework(data=data_file("opensalt_case11.json"))
    framework = Framework.objects.exclude(code="unesco-aicft-2024").get()
    package = json.loads(export_framework(framework=framework, format_name="case"))
    assert package["CFDocument"]["frameworkType"] == "Competency"
    b = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "B")
    assert b["educationLevel"] == ["AD"] and b["CFItemTypeURI"]["title"] == "Domain"
    assert package["CFDefinitions"]["CFItemTypes"][0]["hierarchyCode"] == "1"
    assert package["CFDocument"]["licenseURI"]["identifier"] == "30262b71-51ea-5c0f-a9bc-e8183da5222f"


# --- The command speaks one language, and shows progress on large files ------------------------------------------


def test_import_command_speaks_the_active_language_only(tmp_path, data_file):
    path = tmp_path / "opensalt.json"
    package = json.loads(data_file("opensalt_case11.json"))
    package["CFPackage"]["CFAssociations"][0]["sequenceNumber"] = "2"
    path.write_text(json.dumps(package))

    out = io.StringIO()
    with translation.override("fr"):
        call_command("import_framework", str(path), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Lecture de opensalt.json" in text and "Vérification de 1 fichier" in text
    assert "avertissement\u00a0:" in text and "lu comme le nombre entier 2" in text
    for english in ("Reading", "Checking", "warning:", "created", "read as"):
        assert english not in text, english


def test_import_command_shows_progress_on_large_files(tmp_path, data_file, monkeypatch):
    monkeypatch.setattr(command, "CHUNK", 1000)
    path = tmp_path / "big.json"
    path.write_bytes(data_file("case11_all_fields.json"))

    out = io.StringIO()
    call_command("import_framework", str(path), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip().endswith("% read")]
    assert len(lines) >= 5 and lines[-1].strip() == "100% read"
