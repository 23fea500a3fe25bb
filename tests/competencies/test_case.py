import datetime as dt
import json
import uuid

from django.utils import translation

import pytest

from competencies.exporting import export_framework
from competencies.formats import FrameworkData, ItemData, get_format
from competencies.importing import import_framework
from competencies.models import CompetencyItem, Framework, ItemAssociation
from competencies.selectors import framework_items

pytestmark = pytest.mark.django_db
NS = uuid.UUID("11111111-2222-3333-4444-555555555555")


def U(name):
    return str(uuid.uuid5(NS, name))


def codes(framework):
    return [(i.code, i.depth) for i in framework_items(framework=framework)]


def test_import_opensalt_package_wrapped_in_cfpackage(data_file):
    [report] = import_framework(data=data_file("opensalt_case11.json"))
    assert report.framework_created
    framework = Framework.objects.get(identifier=U("doc"))
    assert framework.title_fr == "Référentiel IA académique"
    assert framework.title_en == ""
    assert framework.creator == "DRANE Occitanie"
    assert framework.licence == "CC BY 4.0"
    assert framework.last_change_date_time.isoformat() == "2025-03-14T09:26:53+00:00"
    # Siblings follow sequenceNumber, not the file's order; children follow isChildOf.
    assert codes(framework) == [("A", 1), ("A.1", 2), ("A.1.a", 3), ("A.2", 2), ("B", 1), ("B.1", 2)]
    item = CompetencyItem.objects.get(code="A.2", framework=framework)
    assert item.identifier == uuid.UUID(U("A.2"))
    assert item.label_fr == "Limites" and item.item_type == "competency"
    assert CompetencyItem.objects.get(code="A", framework=framework).item_type == "domain"
    assert CompetencyItem.objects.get(code="A.1.a", framework=framework).item_type == "indicator"
    links = {(a.origin.code, a.association_type, a.destination.code) for a in ItemAssociation.objects.all()}
    assert links == {("A.2", "isRelatedTo", "B.1"), ("A.1", "precedes", "A.2")}
    assert sorted(report.created) == ["A", "A.1", "A.1.a", "A.2", "B", "B.1"]
    # treebeard agrees with the paths we computed.
    assert CompetencyItem.find_problems() == ([], [], [], [], [])
    assert [c.code for c in CompetencyItem.objects.get(code="A", framework=framework).get_children()] == ["A.1", "A.2"]


def test_import_case10_flat_package_with_v1p0_uris_and_english(data_file):
    import_framework(data=data_file("casenetwork_case10_flat.json"))
    framework = Framework.objects.get(title_en="AI literacy standards")
    assert codes(framework) == [("1", 1), ("1.1", 2), ("1.2", 2)]
    item = CompetencyItem.objects.get(framework=framework, code="1.1")
    assert item.statement_en == "Evaluates the reliability of AI-generated content."
    assert item.statement_fr == ""
    assert item.item_type == "Standard"  # unknown types are kept as written
    with translation.override("fr"):  # falls back to the only language given
        assert item.label == "Evaluates the reliability of AI-generated content."


def test_language_option_overrides_the_document(data_file):
    import_framework(data=data_file("casenetwork_case10_flat.json"), language="fr")
    item = CompetencyItem.objects.get(code="1.1", framework__title_fr="AI literacy standards")
    assert item.statement_fr.startswith("Evaluates")


def test_importing_twice_updates_in_place(data_file):
    import_framework(data=data_file("opensalt_case11.json"))
    pks = dict(CompetencyItem.objects.values_list("code", "pk"))
    [report] = import_framework(data=data_file("opensalt_case11.json"))
    assert not report.framework_created
    assert report.created == [] and report.updated == [] and len(report.unchanged) == 6
    assert dict(CompetencyItem.objects.values_list("code", "pk")) == pks
    assert Framework.objects.count() == 2  # UNESCO + this one
    assert ItemAssociation.objects.count() == 2


def test_reimport_with_changes_moves_renames_and_removes(data_file):
    import_framework(data=data_file("opensalt_case11.json"))
    package = json.loads(data_file("opensalt_case11.json"))["CFPackage"]
    # Move A.2 under B (first), rename A.1, drop B.1 (and its link).
    for assoc in package["CFAssociations"]:
        if assoc["originNodeURI"]["identifier"] == U("A.2") and assoc["associationType"] == "isChildOf":
            assoc["destinationNodeURI"] = {"title": "B", "identifier": U("B"), "uri": "x"}
            assoc["sequenceNumber"] = 0
    package["CFItems"] = [i for i in package["CFItems"] if i["humanCodingScheme"] != "B.1"]
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if U("B.1") not in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    for item in package["CFItems"]:
        if item["humanCodingScheme"] == "A.1":
            item["fullStatement"] = "Nouveau texte"
    [report] = import_framework(data=json.dumps(package).encode())
    framework = Framework.objects.get(identifier=U("doc"))
    assert codes(framework) == [("A", 1), ("A.1", 2), ("A.1.a", 3), ("B", 1), ("A.2", 2)]
    assert report.deleted == ["B.1"]
    assert "A.1" in report.updated and "A.2" in report.updated
    assert CompetencyItem.objects.get(framework=framework, code="A.1").statement_fr == "Nouveau texte"
    assert CompetencyItem.find_problems() == ([], [], [], [], [])


def test_second_language_document_fills_the_same_nodes(unesco):
    english = export_framework(framework=unesco, format_name="case", language="en")
    before_fr = dict(CompetencyItem.objects.filter(framework=unesco).values_list("code", "label_fr"))
    CompetencyItem.objects.filter(framework=unesco).update(label_en="", statement_en="")
    import_framework(data=english)
    after = {i.code: (i.label_fr, i.label_en) for i in CompetencyItem.objects.filter(framework=unesco)}
    assert after["2.2"] == ("Utilisation sûre et responsable", "Safe and responsible use")
    assert {code: fr for code, (fr, _en) in after.items()} == before_fr


def test_crosswalk_to_another_framework(unesco, data_file):
    import_framework(data=data_file("opensalt_case11.json"))
    package = json.loads(data_file("opensalt_case11.json"))
    target = CompetencyItem.objects.get(framework=unesco, code="2.2")
    package["CFPackage"]["CFAssociations"].append(
        {
            "identifier": U("crosswalk"),
            "uri": "https://opensalt.net/uri/" + U("crosswalk"),
            "associationType": "exactMatchOf",
            "originNodeURI": {"title": "B.1", "identifier": U("B.1"), "uri": "x"},
            "destinationNodeURI": {"title": "2.2", "identifier": str(target.identifier), "uri": "y"},
            "lastChangeDateTime": "2025-03-14T09:26:53+00:00",
        }
    )
    import_framework(data=json.dumps(package).encode())
    link = ItemAssociation.objects.get(association_type="exactMatchOf")
    assert link.destination == target and link.origin.code == "B.1"
    exported = json.loads(export_framework(framework=link.framework, format_name="case"))
    crosswalk = next(a for a in exported["CFAssociations"] if a["associationType"] == "exactMatchOf")
    assert crosswalk["destinationNodeURI"]["identifier"] == str(target.identifier)


def test_export_is_a_valid_case_package(unesco):
    package = json.loads(export_framework(framework=unesco, format_name="case", language="fr"))
    document = package["CFDocument"]
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        assert document[key]
    assert document["language"] == "fr" and document["caseVersion"] == "1.1"
    assert document["licenseURI"]["title"] == "CC BY-SA 3.0 IGO"
    assert len(package["CFItems"]) == 20
    for item in package["CFItems"]:
        for key in ("identifier", "uri", "fullStatement", "lastChangeDateTime"):
            assert item[key]
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(children) == 20
    top = [a for a in children if a["destinationNodeURI"]["identifier"] == document["identifier"]]
    assert [a["originNodeURI"]["title"] for a in sorted(top, key=lambda a: a["sequenceNumber"])] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    two_two = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "2.2")
    assert two_two["abbreviatedStatement"] == "Utilisation sûre et responsable"
    assert two_two["CFItemType"] == "Competency"


def test_export_in_english(unesco):
    package = json.loads(export_framework(framework=unesco, format_name="case", language="en"))
    assert package["CFDocument"]["language"] == "en"
    assert package["CFDocument"]["title"].startswith("AI Competency Framework")
    two_two = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "2.2")
    assert two_two["abbreviatedStatement"] == "Safe and responsible use"


def test_dry_run_writes_nothing(data_file):
    [report] = import_framework(data=data_file("opensalt_case11.json"), dry_run=True)
    assert report.dry_run and len(report.created) == 6
    assert not Framework.objects.filter(identifier=U("doc")).exists()


def test_export_of_1000_items_is_a_constant_number_of_queries(django_assert_max_num_queries):

    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    data = FrameworkData(
        identifier=str(uuid.uuid4()), code="big", titles={"fr": "Gros"}, uri="u", creator="c", last_change=when
    )
    for n in range(50):
        data.items.append(
            ItemData(
                identifier=str(uuid.uuid4()),
                code=f"{n}",
                labels={"fr": f"D{n}"},
                statements={"fr": f"D{n}"},
                uri="u",
                last_change=when,
            )
        )
        for m in range(19):
            data.items.append(
                ItemData(
                    identifier=str(uuid.uuid4()),
                    code=f"{n}.{m}",
                    labels={"fr": "x"},
                    statements={"fr": "y"},
                    parent=data.items[-1 - m].identifier,
                    uri="u",
                    last_change=when,
                )
            )
    import_framework(data=get_format("case").dump(data), format_name="case")
    framework = Framework.objects.get(code="big")
    assert framework.items.count() == 1000
    with django_assert_max_num_queries(3):
        package = json.loads(export_framework(framework=framework, format_name="case"))
    assert len(package["CFItems"]) == 1000
    with django_assert_max_num_queries(3):
        export_framework(framework=framework, format_name="moodle-csv")


def test_second_language_as_a_document_linked_by_is_translation_of(unesco):
    """CASE 1.1: the English text travels as its own document whose items are translations of ours."""
    package = json.loads(export_framework(framework=unesco, format_name="case", language="en"))
    new_ids = {item["identifier"]: str(uuid.uuid4()) for item in package["CFItems"]}
    text = json.dumps(package)
    for old, new in new_ids.items():
        text = text.replace(old, new)
    package = json.loads(text.replace(package["CFDocument"]["identifier"], str(uuid.uuid4())))
    package["CFDocument"]["extensions"] = {}
    package["CFAssociations"] += [
        {
            "identifier": str(uuid.uuid4()),
            "uri": f"https://example.org/a/{new}",
            "associationType": "isTranslationOf",
            "originNodeURI": {"title": "", "identifier": new, "uri": "x"},
            "destinationNodeURI": {"title": "", "identifier": old, "uri": "y"},
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        }
        for old, new in new_ids.items()
    ]
    CompetencyItem.objects.filter(framework=unesco).update(label_en="", statement_en="")
    [report] = import_framework(data=json.dumps(package).encode())
    assert report.framework_code == "unesco-aicft-2024" and len(report.updated) == 20
    assert Framework.objects.count() == 1  # no second framework
    item = CompetencyItem.objects.get(framework=unesco, code="2.2")
    assert (item.label_fr, item.label_en) == ("Utilisation sûre et responsable", "Safe and responsible use")
    assert item.statement_en.startswith("Protect")
