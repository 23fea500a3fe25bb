"""CASE 1.1 fields we do not model as columns: kept as they came, written back in the specification's order.

``parse`` keeps every field of a CFDocument, CFItem or CFAssociation that is not a column of ours (conceptKeywords,
educationLevel, alternativeLabel, listEnumeration, notes, statusStartDate/EndDate, subjectURI, licenseURI of an
item, CFItemTypeURI, CFAssociationGroupingURI, extensions…) in the node's ``extra["case"]``; ``CFDefinitions`` (and
``CFRubrics``) are kept on the framework. ``dump`` writes every object's keys in the order of the 1EdTech CASE 1.1
information model, then any other key in alphabetical order, so that a file written in that order comes back
byte for byte (and PostgreSQL's jsonb, which does not keep key order, changes nothing).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import problem

# CFItemType values we know (written capitalised, read in any case); any other type is kept as it came.
ITEM_TYPES = {"aspect", "domain", "competency", "level", "indicator", "skill", "outcome"}

# Key order of each object, as in the CASE 1.1 information model.
DOCUMENT_ORDER = [
    "identifier",
    "uri",
    "frameworkType",
    "caseVersion",
    "creator",
    "title",
    "lastChangeDateTime",
    "officialSourceURL",
    "publisher",
    "description",
    "subject",
    "subjectURI",
    "language",
    "version",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "licenseURI",
    "notes",
    "extensions",
]
ITEM_ORDER = [
    "identifier",
    "uri",
    "CFDocumentURI",
    "fullStatement",
    "alternativeLabel",
    "CFItemType",
    "humanCodingScheme",
    "listEnumeration",
    "abbreviatedStatement",
    "conceptKeywords",
    "conceptKeywordsURI",
    "notes",
    "subject",
    "subjectURI",
    "language",
    "educationLevel",
    "CFItemTypeURI",
    "licenseURI",
    "statusStartDate",
    "statusEndDate",
    "lastChangeDateTime",
    "extensions",
]
ASSOCIATION_ORDER = [
    "identifier",
    "uri",
    "associationType",
    "CFDocumentURI",
    "sequenceNumber",
    "originNodeURI",
    "destinationNodeURI",
    "CFAssociationGroupingURI",
    "notes",
    "lastChangeDateTime",
    "extensions",
]
DEFINITION_ORDER = [
    "identifier",
    "uri",
    "title",
    "keywords",
    "hierarchyCode",
    "typeCode",
    "description",
    "licenseText",
    "lastChangeDateTime",
    "extensions",
]
DEFINITION_KINDS = ["CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings"]
PACKAGE_ORDER = ["CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"]

# Fields that are columns of ours (or rebuilt on export): not kept in ``extra["case"]``.
DOCUMENT_MODELED = {
    "identifier",
    "uri",
    "caseVersion",
    "creator",
    "title",
    "lastChangeDateTime",
    "officialSourceURL",
    "publisher",
    "description",
    "subject",
    "language",
    "version",
    "adoptionStatus",
    "licenseURI",
    "notes",
    "CFPackageURI",
}
ITEM_MODELED = {
    "identifier",
    "uri",
    "CFDocumentURI",
    "fullStatement",
    "CFItemType",
    "humanCodingScheme",
    "abbreviatedStatement",
    "language",
    "lastChangeDateTime",
}
ASSOCIATION_MODELED = {
    "identifier",
    "uri",
    "associationType",
    "CFDocumentURI",
    "sequenceNumber",
    "originNodeURI",
    "destinationNodeURI",
    "notes",
    "lastChangeDateTime",
}
TEXT_LISTS = {"conceptKeywords", "educationLevel", "subject"}
TEXTS = {"alternativeLabel", "listEnumeration", "notes", "frameworkType"}
DATES = {"statusStartDate", "statusEndDate"}
LINKS = {"conceptKeywordsURI", "CFItemTypeURI", "licenseURI", "CFAssociationGroupingURI"}


LINK_ORDER = ["title", "identifier", "uri"]


def canonical(value):
    """Nested values in a fixed key order: link objects as {title, identifier, uri}, other objects alphabetically."""
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        order = LINK_ORDER if "identifier" in value and set(value) <= set(LINK_ORDER) else []
        return ordered(value, order, nested=True)
    return value


def ordered(obj: dict, order: list[str], *, nested: bool = True) -> dict:
    """The object's keys in the given order, then the others alphabetically; nested values likewise."""
    known = [key for key in order if key in obj]
    rest = sorted(key for key in obj if key not in order)
    return {key: canonical(obj[key]) if nested else obj[key] for key in known + rest}


def keep(raw: dict, modeled: set[str], where: str, errors: list[str]) -> dict:
    """The optional fields of ``raw`` that are not columns of ours, checked for their CASE type."""
    kept = {}
    for key, value in raw.items():
        if key in modeled or value is None:
            continue
        if key in TEXT_LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            errors.append(problem(where, key, _("expected a list of text")))
            continue
        if key in TEXTS | DATES and not isinstance(value, str):
            errors.append(problem(where, key, _("expected text")))
            continue
        if key in LINKS and not (isinstance(value, dict) and "identifier" in value):
            errors.append(problem(where, key, _("expected an object with title, identifier and uri")))
            continue
        if key == "subjectURI" and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            errors.append(problem(where, key, _("expected a list of objects with title, identifier and uri")))
            continue
        if isinstance(value, str) and "\x00" in value:
            errors.append(problem(where, key, _("contains a NUL character or invalid Unicode")))
            continue
        kept[key] = value
    return kept


def parse_definitions(package: dict, errors: list[str]) -> dict:
    """``CFDefinitions`` as given (the five lists, each object with at least an identifier), and ``CFRubrics``."""
    kept: dict = {}
    definitions = package.get("CFDefinitions")
    if definitions not in (None, {}):
        if not isinstance(definitions, dict):
            errors.append(problem("CFPackage", "CFDefinitions", _("expected an object")))
            return kept
        kept["CFDefinitions"] = {}
        for kind in DEFINITION_KINDS:
            if kind not in definitions:
                continue
            entries = definitions[kind]
            if not isinstance(entries, list):
                errors.append(problem("CFDefinitions", kind, _("expected a list")))
                continue
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or not isinstance(entry.get("identifier"), str):
                    errors.append(problem(f"CFDefinitions.{kind}[{index}]", "identifier", _("required")))
            kept["CFDefinitions"][kind] = entries
    rubrics = package.get("CFRubrics")
    if rubrics not in (None, []):
        if not isinstance(rubrics, list):
            errors.append(problem("CFPackage", "CFRubrics", _("expected a list")))
        else:
            kept["CFRubrics"] = rubrics
    return kept


def dump_definitions(stored: dict) -> dict:
    """The stored definitions, every object's keys in the specification's order."""
    return {
        kind: [ordered(entry, DEFINITION_ORDER) for entry in stored[kind]]
        for kind in DEFINITION_KINDS
        if kind in stored
    }


def find_definition(definitions: dict, identifier: str) -> tuple[str, dict] | None:
    """(kind, object) of the definition with this identifier, if any."""
    for kind in DEFINITION_KINDS:
        for entry in definitions.get(kind, []):
            if isinstance(entry, dict) and entry.get("identifier") == identifier:
                return kind, ordered(entry, DEFINITION_ORDER)
    return None
