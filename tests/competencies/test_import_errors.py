"""Bad input: a clear error naming the row or item and the field, and nothing imported."""

import json
import uuid

from django.urls import reverse
from django.utils import translation

import pytest

from competencies.evidence import record_evidence
from competencies.formats import FormatError
from competencies.importing import import_framework
from competencies.models import CompetencyItem, Framework, ItemAssociation
from competencies.tree import add_item, move_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


NS = uuid.UUID("11111111-2222-3333-4444-555555555555")


def U(name):
    return str(uuid.uuid5(NS, name))


@pytest.fixture
def package(data_file):
    return json.loads(data_file("opensalt_case11.json"))["CFPackage"]


def snapshot():
    return (
        Framework.objects.count(),
        CompetencyItem.objects.count(),
        ItemAssociation.objects.count(),
        sorted(CompetencyItem.objects.values_list("path", "code", "label_fr", "statement_fr")),
    )


def refused(data: bytes, *fragments: str, **kwargs) -> str:
    before = snapshot()
    with pytest.raises(FormatError) as info:
        import_framework(data=data, **kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot() == before, "something was imported"
    return message


def item_index(package, code):
    return next(n for n, i in enumerate(package["CFItems"]) if i["humanCodingScheme"] == code)


def test_broken_json_names_line_and_column():
    refused(b'{"CFDocument": {"identifier": "x",\n  "title": }', "line 2", "column")


def test_not_a_case_package():
    refused(b'{"hello": "world"}', "CFDocument")


def test_missing_required_item_field_names_item_and_field(package):
    del package["CFItems"][item_index(package, "A.2")]["fullStatement"]
    refused(json.dumps(package).encode(), "CFItems[2] “A.2”", "fullStatement")


def test_missing_document_field(package):
    del package["CFDocument"]["creator"]
    refused(json.dumps(package).encode(), "CFDocument", "creator")


def test_bad_date_and_bad_uuid(package):
    package["CFItems"][0]["lastChangeDateTime"] = "yesterday"
    package["CFItems"][1]["identifier"] = "not-a-uuid"
    message = refused(
        json.dumps(package).encode(), "“yesterday” is not an ISO 8601", "lastChangeDateTime", "not-a-uuid"
    )
    assert "CFItems[1]" in message


def test_unknown_parent(package):
    assoc = next(a for a in package["CFAssociations"] if a["originNodeURI"]["identifier"] == U("A.1"))
    assoc["destinationNodeURI"]["identifier"] = U("nowhere")
    refused(json.dumps(package).encode(), "unknown parent", U("nowhere"), "destinationNodeURI")


def test_cycle_of_parents(package):
    # A.1 is the child of A.1.a, which is the child of A.1.
    assoc = next(
        a
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] == U("A.1") and a["associationType"] == "isChildOf"
    )
    assoc["destinationNodeURI"] = {"title": "A.1.a", "identifier": U("A.1.a"), "uri": "x"}
    refused(json.dumps(package).encode(), "cycle", "“A.1”", "“A.1.a”")


def test_duplicate_item_identifiers(package):
    package["CFItems"][1]["identifier"] = package["CFItems"][0]["identifier"]
    refused(json.dumps(package).encode(), "duplicate identifier", "CFItems[1]")


def test_duplicate_codes(package):
    package["CFItems"][1]["humanCodingScheme"] = package["CFItems"][0]["humanCodingScheme"]
    refused(json.dumps(package).encode(), "humanCodingScheme", "also used by")


def test_association_with_unknown_type(package):
    package["CFAssociations"][0]["associationType"] = "isCousinOf"
    refused(json.dumps(package).encode(), "CFAssociations[0]", "associationType", "isCousinOf")


def test_an_extra_parent_below_the_item_is_a_cycle(package):
    # CASE allows several parents, but not one that puts the item below itself.
    child = next(
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["destinationNodeURI"]["identifier"] != package["CFDocument"]["identifier"]
    )
    parent_ref, child_ref = child["destinationNodeURI"], child["originNodeURI"]
    loop = dict(child, identifier=U("loop"), originNodeURI=parent_ref, destinationNodeURI=child_ref)
    package["CFAssociations"].append(loop)
    refused(json.dumps(package).encode(), "would be below itself")


def test_a_sequence_number_that_is_not_a_number(package):
    package["CFAssociations"][0]["sequenceNumber"] = "second"
    refused(json.dumps(package).encode(), "CFAssociations[0]", "sequenceNumber", "whole number")


def test_enormous_file(settings):
    settings.COMPETENCIES_MAX_IMPORT_BYTES = 1000
    refused(b"{" + b" " * 2000 + b"}", "too large")


def test_wrong_format_csv_given_to_case(data_file):
    refused(data_file("moodle_en_multilang.csv"), "Broken JSON", format_name="case")


def test_wrong_format_json_given_to_moodle(data_file):
    refused(data_file("opensalt_case11.json"), "Row 1", "14 columns", format_name="moodle-csv")


def test_empty_file():
    refused(b"  \n", "empty")


def test_identifier_of_another_frameworks_item(unesco, package):
    taken = str(CompetencyItem.objects.get(framework=unesco, code="2.2").identifier)
    refused(
        json.dumps(package).replace(package["CFItems"][0]["identifier"], taken).encode(),
        "already belongs to an item of framework “unesco-aicft-2024”",
    )


def test_removing_an_item_with_learner_evidence_is_refused(make_user, data_file, package):
    import_framework(data=data_file("opensalt_case11.json"))
    item = CompetencyItem.objects.get(code="B.1", framework__identifier=U("doc"))
    record_evidence(
        user=make_user(),
        item=item,
        source_key="quiz",
        attempt_key="1",
        question_key="q",
        kind="answer",
        correct=True,
        score=None,
    )
    package["CFItems"] = [i for i in package["CFItems"] if i["humanCodingScheme"] != "B.1"]
    package["CFAssociations"] = [a for a in package["CFAssociations"] if U("B.1") not in json.dumps(a)]
    refused(json.dumps(package).encode(), "“B.1”", "evidence")


# --- Moodle CSV ------------------------------------------------------------------------------------------------------

HEADER = ",".join(f"c{n}" for n in range(14)) + "\n"
FRAMEWORK_ROW = ',FW,Framework,,1,"a,b",,,,,,,1,competency\n'


def moodle(*lines: str) -> bytes:
    return (HEADER + FRAMEWORK_ROW + "".join(lines)).encode()


def test_moodle_unknown_parent():
    refused(
        moodle(",A,Alpha,,1,,,,,,,,0,\n", "ZZ,B,Beta,,1,,,,,,,,0,\n"),
        "row 4 “B”",
        "Parent ID number",
        "unknown parent “ZZ”",
    )


def test_moodle_cycle():
    refused(moodle("B,A,Alpha,,1,,,,,,,,0,\n", "A,B,Beta,,1,,,,,,,,0,\n"), "cycle", "“A”", "“B”")


def test_moodle_duplicate_idnumber():
    refused(moodle(",A,Alpha,,1,,,,,,,,0,\n", ",A,Again,,1,,,,,,,,0,\n"), "row 4 “A”", "duplicate id number")


def test_moodle_missing_shortname_and_idnumber():
    message = refused(moodle(",A,,,1,,,,,,,,0,\n", ",,Nameless,,1,,,,,,,,0,\n"), "row 3 “A”", "Short name", "row 4")
    assert "ID number" in message


def test_moodle_no_framework_row_or_two():
    refused((HEADER + ",A,Alpha,,1,,,,,,,,0,\n").encode(), "Is framework")
    refused(moodle(FRAMEWORK_ROW.replace("FW", "FW2")), "exactly one row")


def test_moodle_unknown_cross_reference():
    refused(moodle(",A,Alpha,,1,,,,,,GHOST,,0,\n"), "row 3 “A”", "Cross-referenced", "GHOST")


def test_moodle_short_row():
    refused(moodle(",A,Alpha\n"), "row 3", "expected 14 columns, found 3")


def test_moodle_unclosed_quote():
    refused(moodle(',A,"Alpha,,1,,,,,,,,0,\n'), "Row 3", "CSV")


def test_moodle_bad_scale_configuration():
    refused(
        (HEADER + ',FW,Framework,,1,"a,b",{not json,,,,,,1,competency\n').encode(),
        "row 2",
        "Scale configuration",
        "JSON",
    )


def test_moodle_utf16_is_refused_with_advice():
    refused(
        moodle(",A,Alpha,,1,,,,,,,,0,\n").decode().encode("utf-16"), "UTF-16", "CSV UTF-8", format_name="moodle-csv"
    )


def test_moodle_id_number_too_long():
    refused(moodle(f",{'x' * 101},Alpha,,1,,,,,,,,0,\n"), "row 3", "ID number", "100")


def test_errors_are_all_listed_at_once():
    with pytest.raises(FormatError) as info:
        import_framework(data=moodle(",A,,,1,,,,,,,,0,\n", "ZZ,B,Beta,,1,,,,,,,,0,\n", ",C,Gamma,,7,,,,,,,,0,\n"))
    assert len(info.value.errors) == 3


# --- Depth: a framework nested without bound would overflow treebeard's path and every recursive page -------------


def moodle_chain(levels: int) -> bytes:
    rows = [f"{'' if n == 0 else f'L{n - 1}'},L{n},Level {n},,1,,,,,,,,0,\n" for n in range(levels)]
    return moodle(*rows)


def case_chain(levels: int) -> bytes:
    doc_id = U("deep-doc")
    items = [
        {
            "identifier": U(f"deep-{n}"),
            "uri": f"urn:{n}",
            "humanCodingScheme": f"D{n}",
            "fullStatement": f"Level {n}",
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        }
        for n in range(levels)
    ]
    associations = [
        {
            "identifier": U(f"deep-assoc-{n}"),
            "uri": f"urn:assoc-{n}",
            "associationType": "isChildOf",
            "sequenceNumber": 1,
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
            "originNodeURI": {"identifier": U(f"deep-{n}"), "uri": f"urn:{n}", "title": f"D{n}"},
            "destinationNodeURI": (
                {"identifier": doc_id, "uri": "urn:doc", "title": "Deep"}
                if n == 0
                else {"identifier": U(f"deep-{n - 1}"), "uri": f"urn:{n - 1}", "title": f"D{n - 1}"}
            ),
        }
        for n in range(levels)
    ]
    package = {
        "CFDocument": {
            "identifier": doc_id,
            "uri": "urn:doc",
            "title": "Deep",
            "creator": "x",
            "language": "fr",
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        },
        "CFItems": items,
        "CFAssociations": associations,
    }
    return json.dumps({"CFPackage": package}).encode()


@pytest.mark.parametrize("make", [moodle_chain, case_chain], ids=["moodle-csv", "case"])
def test_a_framework_100_levels_deep_is_refused_naming_the_depth_and_the_limit(make):
    message = refused(make(100), "level 11", "at most 10 levels", "100 levels deep")
    assert message.count("at most 10 levels") == 2  # the first item past the limit, and the file's depth


@pytest.mark.parametrize("make", [moodle_chain, case_chain], ids=["moodle-csv", "case"])
def test_ten_levels_are_accepted_and_the_pages_show_them(make, client, settings):
    [report] = import_framework(data=make(10))
    assert len(report.created) == 10
    deepest = CompetencyItem.objects.order_by("-depth").first()
    assert deepest.depth == 10
    framework = deepest.framework
    page = client.get(f"/competences/{framework.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<ul class="competency-tree">') == 10 and html.count("</ul>") >= 10
    assert deepest.code in html


def test_the_limit_is_a_setting(settings):
    settings.COMPETENCIES_MAX_DEPTH = 3
    refused(moodle_chain(4), "level 4", "at most 3 levels")


def test_the_administration_cannot_build_deeper_than_the_limit(settings):
    settings.COMPETENCIES_MAX_DEPTH = 3
    import_framework(data=moodle_chain(3))
    deepest = CompetencyItem.objects.get(code="L2")
    with pytest.raises(ValueError, match="at most 3 levels"):
        add_item(framework=deepest.framework, parent=deepest, code="L3", label_en="Too deep")
    top = add_item(framework=deepest.framework, parent=None, code="T", label_en="Top")
    add_item(framework=deepest.framework, parent=top, code="T1", label_en="Child")
    with pytest.raises(ValueError, match="at most 3 levels"):  # a subtree of two levels under level 2
        move_item(item=top, parent=CompetencyItem.objects.get(code="L1"))


def test_the_tree_pages_do_not_recurse_even_on_a_framework_deeper_than_the_limit(client, settings, make_user):
    """A framework imported under a higher limit (or written by hand) still renders: the pages loop, never recurse."""
    settings.COMPETENCIES_MAX_DEPTH = 60  # treebeard's path holds 63 levels
    import_framework(data=moodle_chain(60))
    framework = CompetencyItem.objects.get(code="L59").framework
    public = client.get(f"/competences/{framework.code}/")
    assert public.status_code == 200 and public.content.decode().count('<ul class="competency-tree">') == 60
    client.force_login(make_user(email="admin@education.gouv.fr", is_staff=True, is_superuser=True))
    admin = client.get(reverse("competencies_admin:tree", args=[framework.pk]))
    assert admin.status_code == 200 and "L59" in admin.content.decode()
