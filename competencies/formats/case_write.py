"""Writing a framework as a CASE 1.1 package (a dict, keys in the specification's order): the export and the CASE
API serve the same."""

from __future__ import annotations

import uuid
from collections import defaultdict

from ..uris import api_url
from . import AssociationData, FrameworkData, format_datetime
from .case_fields import (
    ASSOCIATION_ORDER,
    DOCUMENT_ORDER,
    ITEM_ORDER,
    ITEM_TYPES,
    PACKAGE_ORDER,
    dump_definitions,
    ordered,
)

CASE_VERSION = "1.1"
REQUIRED_ITEM = {"identifier", "uri", "fullStatement", "lastChangeDateTime"}


def node_ref(title: str, identifier: str, uri: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": uri}


def package_dict(fw: FrameworkData, *, language: str | None = None) -> dict:
    """The CFPackage as a dict, keys in the specification's order (also what the CASE API serves)."""
    lang = language or fw.language or "fr"
    other = "en" if lang == "fr" else "fr"
    title = fw.titles.get(lang) or fw.titles.get(other) or fw.code
    kept = dict(fw.extra.get("case") or {})
    document = {
        "identifier": fw.identifier,
        "uri": fw.uri,
        "creator": fw.creator or fw.publisher or "-",
        "title": title,
        "lastChangeDateTime": format_datetime(fw.last_change),
        "caseVersion": CASE_VERSION,
        "officialSourceURL": fw.source_url,
        "publisher": fw.publisher,
        "description": fw.descriptions.get(lang, ""),
        "subject": fw.subjects,
        "language": lang,
        "version": fw.edition,
        "adoptionStatus": fw.adoption_status,
        "notes": fw.notes,
    }
    if fw.licence or fw.licence_uri:
        licence_id = fw.extra.get("case_licence_identifier") or str(uuid.uuid5(uuid.UUID(fw.identifier), "licence"))
        document["licenseURI"] = node_ref(fw.licence, licence_id, fw.licence_uri)
    document = {
        k: v
        for k, v in document.items()
        if v not in ("", [], None) or k in ("identifier", "uri", "creator", "title", "lastChangeDateTime")
    }
    document.update({k: v for k, v in kept.items() if k != "extensions"})
    document["extensions"] = ordered({**(kept.get("extensions") or {}), "code": fw.code}, ["code"])
    document = ordered(document, DOCUMENT_ORDER)
    doc_ref = node_ref(title, fw.identifier, fw.uri)
    items, associations = [], []
    by_id = {item.identifier: item for item in fw.items}
    sequence: dict[str | None, int] = defaultdict(int)
    for item in fw.items:
        entry = {
            "identifier": item.identifier,
            "uri": item.uri,
            "CFDocumentURI": doc_ref,
            "fullStatement": item.statements.get(lang)
            or item.labels.get(lang)
            or item.statements.get(other)
            or item.labels.get(other)
            or item.code
            or "-",
            "humanCodingScheme": item.code,
            "abbreviatedStatement": item.labels.get(lang, ""),
            "CFItemType": item.item_type.capitalize() if item.item_type in ITEM_TYPES else item.item_type,
            "language": lang,
            "lastChangeDateTime": format_datetime(item.last_change),
        }
        entry = {k: v for k, v in entry.items() if v != "" or k in REQUIRED_ITEM}
        entry.update((item.extra or {}).get("case") or {})
        items.append(ordered(entry, ITEM_ORDER))
        sequence[item.parent] += 1
        parent = by_id.get(item.parent) if item.parent else None
        link_id = item.parent_link or str(uuid.uuid5(uuid.UUID(item.identifier), "isChildOf"))
        associations.append(
            {
                "identifier": link_id,
                "uri": (item.extra or {}).get("case_link_uri") or api_url("CFAssociations", link_id),
                "associationType": "isChildOf",
                "CFDocumentURI": doc_ref,
                "sequenceNumber": sequence[item.parent],
                "originNodeURI": node_ref(item.code or item.labels.get(lang, ""), item.identifier, item.uri),
                "destinationNodeURI": node_ref(
                    parent.code or parent.labels.get(lang, ""), parent.identifier, parent.uri
                )
                if parent
                else node_ref(title, fw.identifier, fw.uri),
                "lastChangeDateTime": format_datetime(item.last_change),
            }
        )
    for assoc in fw.associations:
        associations.append(association_dict(assoc, by_id=by_id, doc_ref=doc_ref, language=lang))
    package = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    definitions = dump_definitions(fw.extra.get("CFDefinitions") or {})
    if definitions:
        package["CFDefinitions"] = definitions
    if fw.extra.get("CFRubrics"):
        package["CFRubrics"] = fw.extra["CFRubrics"]
    return ordered(package, PACKAGE_ORDER, nested=False)


def association_dict(assoc: AssociationData, *, by_id: dict, doc_ref: dict, language: str) -> dict:
    origin = by_id.get(assoc.origin)
    dest_title, dest_uri = assoc.destination_title, assoc.destination_uri
    destination = by_id.get(assoc.destination)
    if destination is not None:
        dest_title, dest_uri = destination.code or destination.labels.get(language, ""), destination.uri
    extra = dict(assoc.extra or {})
    entry = {
        "identifier": assoc.identifier,
        "uri": extra.pop("uri", None) or api_url("CFAssociations", assoc.identifier),
        "associationType": assoc.association_type,
        "CFDocumentURI": doc_ref,
        "sequenceNumber": assoc.sequence_number,
        "originNodeURI": node_ref(
            (origin.code or origin.labels.get(language, "")) if origin else "",
            assoc.origin,
            origin.uri if origin else "",
        ),
        "destinationNodeURI": node_ref(dest_title, assoc.destination, dest_uri),
        "notes": assoc.notes,
        "lastChangeDateTime": format_datetime(assoc.last_change),
    }
    if entry["sequenceNumber"] is None:
        del entry["sequenceNumber"]
    if not entry["notes"]:
        del entry["notes"]
    entry.update(extra)
    return ordered(entry, ASSOCIATION_ORDER)
