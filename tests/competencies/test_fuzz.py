"""Property-based tests: no traceback and no half-imported framework, whatever the input; round trips hold."""

import contextlib
import csv
import datetime as dt
import io
import json
import uuid

from django.utils import translation

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies.formats import FormatError, FrameworkData, ItemData, get_format, moodle_csv
from competencies.formats import case as case_format
from competencies.importing import import_framework
from competencies.models import CompetencyItem, Framework, ItemAssociation

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FUZZ = settings(
    deadline=None,
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


def snapshot():
    return (
        Framework.objects.count(),
        CompetencyItem.objects.count(),
        ItemAssociation.objects.count(),
        sorted(CompetencyItem.objects.values_list("path", "code", "label_fr", "label_en", "statement_fr")),
    )


def import_or_refuse(data: bytes, **kwargs):
    """Either imports, or raises FormatError and leaves the database exactly as it was."""
    before = snapshot()
    try:
        with translation.override("en"):
            import_framework(data=data, **kwargs)
    except FormatError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
        assert snapshot() == before
        return False
    assert CompetencyItem.find_problems() == ([], [], [], [], [])
    return True


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_never_crash_either_parser(data):
    for fmt in ("case", "moodle-csv"):
        with contextlib.suppress(FormatError):
            get_format(fmt).parse(data)


def mutate(package: dict, draw) -> dict:
    """Delete, replace or add a field somewhere in the package."""
    section = draw(st.sampled_from(["CFDocument", "CFItems", "CFAssociations"]))
    target = package[section]
    if isinstance(target, list):
        if not target:
            return package
        target = target[draw(st.integers(0, len(target) - 1))]
    keys = sorted(target)
    key = draw(st.sampled_from(keys)) if keys else "x"
    action = draw(st.sampled_from(["delete", "replace", "nested"]))
    if action == "delete":
        target.pop(key, None)
    elif action == "replace" or not isinstance(target.get(key), dict):
        target[key] = draw(json_values | st.sampled_from([str(uuid.uuid4()), "", "2025-13-45", "isChildOf", -1]))
    else:
        inner = target[key]
        inner[draw(st.sampled_from(sorted(inner) or ["identifier"]))] = draw(json_values | st.just(str(uuid.uuid4())))
    return package


@FUZZ
@given(data=st.data())
def test_mutated_case_packages_import_fully_or_not_at_all(data, data_file):
    package = json.loads(data_file("opensalt_case11.json"))["CFPackage"]
    for _ in range(data.draw(st.integers(1, 4))):
        package = mutate(package, data.draw)
    wrapped = data.draw(st.booleans())
    import_or_refuse(json.dumps({"CFPackage": package} if wrapped else package).encode())


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12) | st.sampled_from(
    [
        "",
        "1",
        "0",
        "D1",
        "D2",
        "A",
        '<span lang="fr" class="multilang">é</span><span lang="en" class="multilang">e</span>',
        "a%2Cb",
        '"',
        ";",
        "\n",
    ]
)


@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=16), max_size=8),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_random_moodle_csv_import_fully_or_not_at_all(rows, delimiter, encoding):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(moodle_csv.COLUMNS)
    writer.writerow(["", "FW", "Fuzz", "", "1", "", "", "", "", "", "", "", "1", "competency"])
    writer.writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = out.getvalue().encode("utf-8")
    import_or_refuse(data, format_name="moodle-csv")


texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00\r", exclude_categories=["Cs", "Cc"]), max_size=40
).map(str.strip)


@st.composite
def frameworks(draw):
    fw = FrameworkData(
        identifier=str(uuid.uuid4()),
        code="fuzz",
        titles={"fr": draw(texts) or "T", "en": draw(texts)},
        uri="https://x.example/fw",
        creator="c",
    )

    fw.last_change = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    for n in range(draw(st.integers(1, 12))):
        parent = draw(st.sampled_from([None, *[i.identifier for i in fw.items]]))
        fw.items.append(
            ItemData(
                identifier=str(uuid.uuid4()), code=f"c{n}", item_type=draw(st.sampled_from(["competency", "domain", "indicator"])),
                labels={"fr": draw(texts) or f"l{n}", "en": draw(texts) or f"l{n}"}, statements={"fr": draw(texts) or f"s{n}", "en": draw(texts) or f"s{n}"},
                parent=parent, uri=f"https://x.example/i/{n}", last_change=fw.last_change,
            )
        )  # fmt: skip
    # Parents before children, siblings grouped: reorder depth-first like an export.
    children = {}
    for item in fw.items:
        children.setdefault(item.parent, []).append(item)
    ordered, stack = [], list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item.identifier, [])))
    fw.items = ordered
    return fw


def view(fw: FrameworkData, languages=("fr", "en")):
    return [
        (i.code, i.parent, {k: i.labels.get(k) for k in languages}, {k: i.statements.get(k) for k in languages})
        for i in fw.items
    ]


@FUZZ
@given(fw=frameworks())
def test_case_dump_then_parse_keeps_everything(fw):
    for lang in ("fr", "en"):
        [back] = case_format.parse(case_format.dump(fw, language=lang))
        assert view(back, (lang,)) == view(fw, (lang,))
        assert back.identifier == fw.identifier and back.titles[lang] == (fw.titles[lang] or fw.titles["fr"])


@FUZZ
@given(fw=frameworks())
def test_moodle_dump_then_parse_keeps_everything(fw):
    [back] = moodle_csv.parse(moodle_csv.dump(fw))
    by_code = {i.identifier: i.code for i in fw.items}
    expected = [(i.code, by_code.get(i.parent), i.labels, i.statements) for i in fw.items]
    assert [(i.code, i.parent, i.labels, i.statements) for i in back.items] == expected
