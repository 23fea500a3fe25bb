"""1EdTech CASE 1.1 packages (and CASE 1.0 ones: ``CFPackageURI``, ``v1p0`` URIs), flat or wrapped in ``CFPackage``.

One language per document. The tree travels as ``isChildOf`` associations (child → parent item, or → the document
for top-level items), siblings ordered by ``sequenceNumber``. Other association types are kept as typed links.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict

from django.utils.translation import gettext as _

from ..uris import api_url
from . import AssociationData, FormatError, FrameworkData, ItemData, parse_datetime, problem
from .case_fields import ASSOCIATION_MODELED, DOCUMENT_MODELED, ITEM_MODELED, ITEM_TYPES, keep, parse_definitions
from .case_values import (
    is_clean,
    load_json,
    read_language,
    read_node_ref,
    read_sequence,
    read_text,
    read_uuid,
)
from .case_write import package_dict

NAME = "case"
CONTENT_TYPE = "application/json"
EXTENSION = "json"
ASSOCIATION_TYPES = {
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
}
MAX_CODE, MAX_LABEL = 100, 255


def parse(data: bytes, *, language: str | None = None) -> list[FrameworkData]:
    """One package, or several in a JSON list (frameworks that refer to each other, imported together)."""
    loaded = load_json(data)
    if not isinstance(loaded, list):
        return [parse_package(loaded, language=language)]
    frameworks, errors = [], []
    for index, package in enumerate(loaded):
        try:
            frameworks.append(parse_package(package, language=language))
        except FormatError as exc:
            errors += [_("package %(n)d: %(problem)s") % {"n": index + 1, "problem": e} for e in exc.errors]
    if errors:
        raise FormatError(errors)
    if not frameworks:
        raise FormatError(_("Not a CASE package: the list is empty."))
    return frameworks


def parse_package(package, *, language: str | None = None) -> FrameworkData:
    """One CASE package, checked: a FrameworkData (items in depth-first order), or FormatError listing every
    problem."""
    if isinstance(package, dict) and "CFPackage" in package:
        package = package["CFPackage"]
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise FormatError(_("Not a CASE package: no “CFDocument” object at the top (or inside “CFPackage”)."))
    errors: list[str] = []
    fw = _document(package, language, errors)
    raw_items = package.get("CFItems", [])
    if not isinstance(raw_items, list):
        raise FormatError(problem("CFPackage", "CFItems", _("expected a list")))
    raw_assocs = package.get("CFAssociations", [])
    if not isinstance(raw_assocs, list):
        raise FormatError(problem("CFPackage", "CFAssociations", _("expected a list")))
    items, order = _items(raw_items, fw, errors)
    parents, extra_parents = _associations(raw_assocs, fw, items, errors)
    in_order = _depth_first(fw, items, order, parents, errors)
    if not errors:
        _check_extra_parents(items, extra_parents, errors)
    if errors:
        raise FormatError(errors)
    fw.items = in_order
    fw.associations = [link for _child, _parent, link in extra_parents] + fw.associations
    return fw


def _document(package: dict, language: str | None, errors: list[str]) -> FrameworkData:
    """The CFDocument: the framework without its items and links."""
    doc = package["CFDocument"]
    lang = read_language(doc.get("language"), language)
    where = "CFDocument"
    fw = FrameworkData(
        identifier=read_uuid(doc.get("identifier"), where, "identifier", errors, uri=doc.get("uri")) or "",
        language=lang,
    )
    fw.uri = read_text(doc, "uri", where, errors, required=True, max_length=500)
    fw.creator = read_text(doc, "creator", where, errors, required=True, max_length=255)
    title = read_text(doc, "title", where, errors, required=True, max_length=255)
    fw.titles = {lang: title}
    description = read_text(doc, "description", where, errors)
    fw.descriptions = {lang: description}
    fw.last_change = parse_datetime(doc.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
    if fw.last_change is None and "lastChangeDateTime" not in doc:
        errors.append(problem(where, "lastChangeDateTime", _("required")))
    fw.publisher = read_text(doc, "publisher", where, errors, max_length=255)
    fw.edition = read_text(doc, "version", where, errors, max_length=100)
    fw.source_url = read_text(doc, "officialSourceURL", where, errors, max_length=500)
    fw.adoption_status = read_text(doc, "adoptionStatus", where, errors, max_length=50)
    fw.notes = read_text(doc, "notes", where, errors)
    subjects = doc.get("subject") or []
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        errors.append(problem(where, "subject", _("expected a list of text")))
        subjects = []
    if not all(is_clean(s) and len(s) <= 255 for s in subjects):
        errors.append(problem(where, "subject", _("invalid text")))
        subjects = []
    fw.subjects = [s.strip() for s in subjects]
    licence = doc.get("licenseURI")
    if isinstance(licence, dict):
        fw.licence = read_text(licence, "title", f"{where}.licenseURI", errors, max_length=255)
        fw.licence_uri = read_text(licence, "uri", f"{where}.licenseURI", errors, max_length=500)
    elif licence not in (None, ""):
        errors.append(problem(where, "licenseURI", _("expected an object with title, identifier and uri")))
    extensions = doc.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    fw.code = code.strip() if isinstance(code, str) else ""
    kept = keep(doc, DOCUMENT_MODELED | {"extensions"}, where, errors)
    if isinstance(extensions, dict) and set(extensions) - {"code"}:
        kept["extensions"] = {k: v for k, v in extensions.items() if k != "code"}
    licence_id = licence.get("identifier") if isinstance(licence, dict) else None
    minted = str(uuid.uuid5(uuid.UUID(fw.identifier), "licence")) if fw.identifier else ""
    fw.extra = {
        "case": kept,
        "case_licence_identifier": licence_id if isinstance(licence_id, str) and licence_id != minted else "",
        "CFDefinitions": {},
        "CFRubrics": [],
        **parse_definitions(package, errors),
    }
    if fw.code and not re.fullmatch(r"[-a-zA-Z0-9_]{1,100}", fw.code):
        errors.append(problem(where, "extensions.code", _("expected letters, digits and hyphens (at most 100)")))
        fw.code = ""
    return fw


def _items(raw_items: list, fw: FrameworkData, errors: list[str]) -> tuple[dict[str, ItemData], list[str]]:
    """The CFItems by identifier, and their identifiers in the file's order."""
    lang = fw.language
    items: dict[str, ItemData] = {}
    order: list[str] = []
    codes: dict[str, str] = {}
    for index, raw in enumerate(raw_items):
        where = f"CFItems[{index}]"
        if not isinstance(raw, dict):
            errors.append(problem(where, "CFItem", _("expected an object")))
            continue
        ident = read_uuid(raw.get("identifier"), where, "identifier", errors, uri=raw.get("uri"))
        if ident:
            where = f"CFItems[{index}] ({ident})"
        item = ItemData(identifier=ident or "", where=where)
        item.uri = read_text(raw, "uri", where, errors, required=True, max_length=500)
        item.code = read_text(raw, "humanCodingScheme", where, errors, max_length=MAX_CODE)
        if item.code:
            where = f"CFItems[{index}] “{item.code}”"
            item.where = where
        statement = read_text(raw, "fullStatement", where, errors, required=True)
        label = read_text(raw, "abbreviatedStatement", where, errors, max_length=MAX_LABEL)
        item.statements = {lang: statement}
        item.labels = {lang: label}
        kind = read_text(raw, "CFItemType", where, errors, max_length=100)
        item.item_type = kind.lower() if kind.lower() in ITEM_TYPES else kind
        item.last_change = parse_datetime(raw.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
        if "lastChangeDateTime" not in raw:
            errors.append(problem(where, "lastChangeDateTime", _("required")))
        # Empty values clear what an earlier import kept (the importer drops them before saving).
        item.extra = {"case": keep(raw, ITEM_MODELED, where, errors), "case_link": "", "case_link_uri": ""}
        if ident is None:
            continue
        if ident in items or ident == fw.identifier:
            errors.append(problem(where, "identifier", _("duplicate identifier %(id)s") % {"id": ident}))
            continue
        if item.code:
            if item.code in codes:
                errors.append(
                    problem(
                        where,
                        "humanCodingScheme",
                        _("code “%(code)s” also used by %(other)s") % {"code": item.code, "other": codes[item.code]},
                    )
                )
            codes[item.code] = where
        items[ident] = item
        order.append(ident)
    return items, order


def _associations(raw_assocs: list, fw: FrameworkData, items: dict[str, ItemData], errors: list[str]) -> tuple:
    """The CFAssociations: each item's first parent ``{child: (parent, sort key, link identifier)}`` and its other
    parents ``[(child, parent, link)]``; other links go into ``fw.associations``."""
    parents: dict[str, tuple[str, tuple, str]] = {}
    extra_parents: list[tuple[str, str, AssociationData]] = []  # (child, parent, link) besides the first parent
    seen_assocs: set[str] = set()
    for index, raw in enumerate(raw_assocs):
        where = f"CFAssociations[{index}]"
        if not isinstance(raw, dict):
            errors.append(problem(where, "CFAssociation", _("expected an object")))
            continue
        ident = read_uuid(raw.get("identifier"), where, "identifier", errors, uri=raw.get("uri"))
        if ident:
            where = f"CFAssociations[{index}] ({ident})"
            if ident in seen_assocs:
                errors.append(problem(where, "identifier", _("duplicate identifier %(id)s") % {"id": ident}))
            seen_assocs.add(ident)
        kind = raw.get("associationType")
        if not isinstance(kind, str) or kind not in ASSOCIATION_TYPES:
            errors.append(problem(where, "associationType", _("unknown type “%(value)s”") % {"value": str(kind)[:40]}))
            continue
        origin = read_node_ref(raw, "originNodeURI", where, errors)
        destination = read_node_ref(raw, "destinationNodeURI", where, errors)
        seq = read_sequence(raw, where, errors, fw.warnings)
        last_change = parse_datetime(raw.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
        if "lastChangeDateTime" not in raw:
            errors.append(problem(where, "lastChangeDateTime", _("required")))
        extra = keep(raw, ASSOCIATION_MODELED, where, errors)
        uri = raw.get("uri")
        if isinstance(uri, str) and uri and ident and uri != api_url("CFAssociations", ident):
            extra["uri"] = uri.strip()
        link = AssociationData(
            identifier=ident or "",
            association_type=kind,
            origin=origin or "",
            destination=destination or "",
            sequence_number=seq,
            last_change=last_change,
            where=where,
            notes=read_text(raw, "notes", where, errors),
            extra=extra,
        )
        destination_ref = raw.get("destinationNodeURI")
        if isinstance(destination_ref, dict):
            link.destination_title = str(destination_ref.get("title") or "")[:255]
            link.destination_uri = str(destination_ref.get("uri") or "")[:500]
        if not origin or not destination:
            continue
        if kind == "isChildOf":
            if origin not in items:
                errors.append(problem(where, "originNodeURI", _("unknown item %(id)s") % {"id": origin}))
                continue
            if destination != fw.identifier and destination not in items:
                errors.append(
                    problem(
                        where,
                        "destinationNodeURI",
                        _("unknown parent %(id)s of item %(item)s") % {"id": destination, "item": items[origin].where},
                    )
                )
                continue
            key = (seq if seq is not None else 2**31, index)
            if origin not in parents:
                parents[origin] = (destination, key, ident or "")
                if ident and extra.get("uri"):
                    items[origin].extra["case_link_uri"] = extra["uri"]
                continue
            # Several parents (CASE allows it): the first one holds the item in the tree, the others are kept as
            # links shown under those parents too. A link to the document always wins (the item is top-level).
            if destination == parents[origin][0]:
                errors.append(
                    problem(
                        where,
                        "destinationNodeURI",
                        _("%(item)s is already a child of this parent") % {"item": items[origin].where},
                    )
                )
                continue
            if destination == fw.identifier:
                first_parent, first_key, first_ident = parents[origin]
                parents[origin] = (destination, key, ident or "")
                items[origin].extra.pop("case_link_uri", None)
                link.destination, link.sequence_number, link.identifier = first_parent, first_key[0], first_ident
                if first_key[0] == 2**31:
                    link.sequence_number = None
            extra_parents.append((origin, link.destination, link))
            continue
        if origin not in items:
            errors.append(
                problem(
                    where,
                    "originNodeURI",
                    _("unknown item %(id)s: the origin must be in this package") % {"id": origin},
                )
            )
            continue
        fw.associations.append(link)
    return parents, extra_parents


def _depth_first(
    fw: FrameworkData, items: dict[str, ItemData], order: list[str], parents: dict, errors: list[str]
) -> list[ItemData]:
    """The items in depth-first order, each given its parent, detecting cycles (items that never reach the
    document)."""
    children: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
    for position, ident in enumerate(order):
        parent, key, link_ident = parents.get(ident, (fw.identifier, (2**31, 10**9 + position), ""))
        children[parent].append((key, ident))
        if link_ident and link_ident != str(uuid.uuid5(uuid.UUID(ident), "isChildOf")):
            items[ident].parent_link = link_ident
            items[ident].extra["case_link"] = link_ident
    result: list[ItemData] = []
    stack = [fw.identifier]
    placed: set[str] = set()
    while stack:
        node = stack.pop()
        kids = [ident for _key, ident in sorted(children.get(node, []))]
        for ident in kids:
            items[ident].parent = None if node == fw.identifier else node
        for ident in reversed(kids):
            stack.append(ident)
        if node != fw.identifier:
            result.append(items[node])
            placed.add(node)
    for ident in order:
        if ident not in placed:
            errors.append(problem(items[ident].where, "isChildOf", _("the item is in a cycle of parents")))
    return result


def _check_extra_parents(items: dict[str, ItemData], extra_parents: list, errors: list[str]) -> None:
    """An item may not be, through any of its parents, below itself."""
    ups: dict[str, list[str]] = defaultdict(list)
    for ident, item in items.items():
        if item.parent:
            ups[ident].append(item.parent)
    for child, parent, _link in extra_parents:
        ups[child].append(parent)
    for child, parent, link in extra_parents:
        stack, seen = [parent], set()
        while stack:
            node = stack.pop()
            if node == child:
                errors.append(
                    problem(
                        link.where,
                        "destinationNodeURI",
                        _("%(item)s would be below itself (a cycle of parents)") % {"item": items[child].where},
                    )
                )
                break
            if node not in seen:
                seen.add(node)
                stack.extend(ups.get(node, []))


def dump(fw: FrameworkData, *, language: str | None = None) -> bytes:
    return (json.dumps(package_dict(fw, language=language), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
