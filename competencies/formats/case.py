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

from . import AssociationData, FormatError, FrameworkData, ItemData, format_datetime, parse_datetime, problem

NAME = "case"
CONTENT_TYPE = "application/json"
EXTENSION = "json"
CASE_VERSION = "1.1"
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
KNOWN_ITEM_TYPES = {"aspect", "domain", "competency", "level", "indicator", "skill", "outcome"}
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID_IN_URI = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")
REQUIRED_ITEM = {"identifier", "uri", "fullStatement", "lastChangeDateTime"}
MAX_CODE, MAX_LABEL, MAX_TEXT = 100, 255, 20000


def _language(value, override: str | None) -> str:
    if override:
        return override
    text = (value or "").strip().lower().replace("_", "-").split("-")[0] if isinstance(value, str) else ""
    return text if text in ("fr", "en") else "fr"


def _uuid(value, where: str, field_name: str, errors: list[str], *, uri=None) -> str | None:
    if (value is None or value == "") and isinstance(uri, str):
        match = UUID_IN_URI.search(uri.strip())  # CASE 1.0 files sometimes give only the URI
        if match:
            value = match.group(1)
    if value is None or value == "":
        errors.append(problem(where, field_name, _("required")))
        return None
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return value  # fast path: already the canonical form
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError, TypeError):
        errors.append(problem(where, field_name, _("“%(value)s” is not a UUID") % {"value": str(value)[:60]}))
        return None


def _text(obj: dict, key: str, where: str, errors: list[str], *, required=False, max_length=MAX_TEXT) -> str:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(problem(where, key, _("required")))
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            errors.append(problem(where, key, _("expected text")))
            return ""
    value = value.strip()
    if not _clean(value):
        errors.append(problem(where, key, _("contains a NUL character or invalid Unicode")))
        return ""
    if len(value) > max_length:
        errors.append(problem(where, key, _("longer than %(max)d characters") % {"max": max_length}))
        return ""
    return value


def _clean(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates ("\ud800" in the JSON)
        return False
    return True


def _node_ref(assoc: dict, key: str, where: str, errors: list[str]) -> str | None:
    ref = assoc.get(key)
    if not isinstance(ref, dict):
        errors.append(problem(where, key, _("required (an object with identifier and uri)")))
        return None
    return _uuid(ref.get("identifier"), where, f"{key}.identifier", errors, uri=ref.get("uri"))


def load_json(data: bytes):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            _("The file is not UTF-8 text (byte %(pos)d): CASE files are UTF-8 JSON.") % {"pos": exc.start}
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            _("Broken JSON at line %(line)d, column %(col)d: %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None
    except RecursionError:
        raise FormatError(_("The JSON is nested too deeply.")) from None


def parse(data: bytes, *, language: str | None = None) -> list[FrameworkData]:
    package = load_json(data)
    if isinstance(package, dict) and "CFPackage" in package:
        package = package["CFPackage"]
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise FormatError(_("Not a CASE package: no “CFDocument” object at the top (or inside “CFPackage”)."))
    errors: list[str] = []
    doc = package["CFDocument"]
    lang = _language(doc.get("language"), language)
    where = "CFDocument"
    fw = FrameworkData(
        identifier=_uuid(doc.get("identifier"), where, "identifier", errors, uri=doc.get("uri")) or "",
        language=lang,
    )
    fw.uri = _text(doc, "uri", where, errors, required=True, max_length=500)
    fw.creator = _text(doc, "creator", where, errors, required=True, max_length=255)
    title = _text(doc, "title", where, errors, required=True, max_length=255)
    fw.titles = {lang: title}
    description = _text(doc, "description", where, errors)
    fw.descriptions = {lang: description}
    fw.last_change = parse_datetime(doc.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
    if fw.last_change is None and "lastChangeDateTime" not in doc:
        errors.append(problem(where, "lastChangeDateTime", _("required")))
    fw.publisher = _text(doc, "publisher", where, errors, max_length=255)
    fw.edition = _text(doc, "version", where, errors, max_length=100)
    fw.source_url = _text(doc, "officialSourceURL", where, errors, max_length=500)
    fw.adoption_status = _text(doc, "adoptionStatus", where, errors, max_length=50)
    fw.notes = _text(doc, "notes", where, errors)
    subjects = doc.get("subject") or []
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        errors.append(problem(where, "subject", _("expected a list of text")))
        subjects = []
    if not all(_clean(s) and len(s) <= 255 for s in subjects):
        errors.append(problem(where, "subject", _("invalid text")))
        subjects = []
    fw.subjects = [s.strip() for s in subjects]
    licence = doc.get("licenseURI")
    if isinstance(licence, dict):
        fw.licence = _text(licence, "title", f"{where}.licenseURI", errors, max_length=255)
        fw.licence_uri = _text(licence, "uri", f"{where}.licenseURI", errors, max_length=500)
    elif licence not in (None, ""):
        errors.append(problem(where, "licenseURI", _("expected an object with title, identifier and uri")))
    code = doc.get("extensions", {}).get("code") if isinstance(doc.get("extensions"), dict) else None
    fw.code = code.strip() if isinstance(code, str) else ""
    if fw.code and not re.fullmatch(r"[-a-zA-Z0-9_]{1,100}", fw.code):
        errors.append(problem(where, "extensions.code", _("expected letters, digits and hyphens (at most 100)")))
        fw.code = ""

    raw_items = package.get("CFItems", [])
    if not isinstance(raw_items, list):
        raise FormatError(problem("CFPackage", "CFItems", _("expected a list")))
    raw_assocs = package.get("CFAssociations", [])
    if not isinstance(raw_assocs, list):
        raise FormatError(problem("CFPackage", "CFAssociations", _("expected a list")))

    items: dict[str, ItemData] = {}
    order: list[str] = []
    codes: dict[str, str] = {}
    for index, raw in enumerate(raw_items):
        where = f"CFItems[{index}]"
        if not isinstance(raw, dict):
            errors.append(problem(where, "CFItem", _("expected an object")))
            continue
        ident = _uuid(raw.get("identifier"), where, "identifier", errors, uri=raw.get("uri"))
        if ident:
            where = f"CFItems[{index}] ({ident})"
        item = ItemData(identifier=ident or "", where=where)
        item.uri = _text(raw, "uri", where, errors, required=True, max_length=500)
        item.code = _text(raw, "humanCodingScheme", where, errors, max_length=MAX_CODE)
        if item.code:
            where = f"CFItems[{index}] “{item.code}”"
            item.where = where
        statement = _text(raw, "fullStatement", where, errors, required=True)
        label = _text(raw, "abbreviatedStatement", where, errors, max_length=MAX_LABEL)
        item.statements = {lang: statement}
        item.labels = {lang: label}
        kind = _text(raw, "CFItemType", where, errors, max_length=100)
        item.item_type = kind.lower() if kind.lower() in KNOWN_ITEM_TYPES else kind
        item.last_change = parse_datetime(raw.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
        if "lastChangeDateTime" not in raw:
            errors.append(problem(where, "lastChangeDateTime", _("required")))
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

    parents: dict[str, tuple[str, tuple]] = {}
    seen_assocs: set[str] = set()
    for index, raw in enumerate(raw_assocs):
        where = f"CFAssociations[{index}]"
        if not isinstance(raw, dict):
            errors.append(problem(where, "CFAssociation", _("expected an object")))
            continue
        ident = _uuid(raw.get("identifier"), where, "identifier", errors, uri=raw.get("uri"))
        if ident:
            where = f"CFAssociations[{index}] ({ident})"
            if ident in seen_assocs:
                errors.append(problem(where, "identifier", _("duplicate identifier %(id)s") % {"id": ident}))
            seen_assocs.add(ident)
        kind = raw.get("associationType")
        if not isinstance(kind, str) or kind not in ASSOCIATION_TYPES:
            errors.append(problem(where, "associationType", _("unknown type “%(value)s”") % {"value": str(kind)[:40]}))
            continue
        origin = _node_ref(raw, "originNodeURI", where, errors)
        destination = _node_ref(raw, "destinationNodeURI", where, errors)
        seq = raw.get("sequenceNumber")
        if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**31):
            errors.append(problem(where, "sequenceNumber", _("expected a whole number")))
            seq = None
        last_change = parse_datetime(raw.get("lastChangeDateTime"), where, "lastChangeDateTime", errors)
        if "lastChangeDateTime" not in raw:
            errors.append(problem(where, "lastChangeDateTime", _("required")))
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
            if origin in parents:
                errors.append(
                    problem(
                        where,
                        "originNodeURI",
                        _("%(item)s already has a parent: an item has one parent here") % {"item": items[origin].where},
                    )
                )
                continue
            parents[origin] = (destination, (seq if seq is not None else 2**31, index))
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
        fw.associations.append(
            AssociationData(
                identifier=ident or "",
                association_type=kind,
                origin=origin,
                destination=destination,
                sequence_number=seq,
                last_change=last_change,
                where=where,
            )
        )

    # Build the depth-first order, detecting cycles (items that never reach the document).
    children: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
    for position, ident in enumerate(order):
        parent, key = parents.get(ident, (fw.identifier, (2**31, 10**9 + position)))
        children[parent].append((key, ident))
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
    if errors:
        raise FormatError(errors)
    fw.items = result
    return [fw]


def _ref(title: str, identifier: str, uri: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": uri}


def dump(fw: FrameworkData, *, language: str | None = None) -> bytes:
    lang = language or fw.language or "fr"
    other = "en" if lang == "fr" else "fr"
    title = fw.titles.get(lang) or fw.titles.get(other) or fw.code
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
        "extensions": {"code": fw.code},
    }
    if fw.licence or fw.licence_uri:
        document["licenseURI"] = _ref(fw.licence, str(uuid.uuid5(uuid.UUID(fw.identifier), "licence")), fw.licence_uri)
    document = {
        k: v
        for k, v in document.items()
        if v not in ("", [], None) or k in ("identifier", "uri", "creator", "title", "lastChangeDateTime")
    }
    items, associations = [], []
    by_id = {item.identifier: item for item in fw.items}
    sequence: dict[str | None, int] = defaultdict(int)
    for item in fw.items:
        entry = {
            "identifier": item.identifier,
            "uri": item.uri,
            "fullStatement": item.statements.get(lang)
            or item.labels.get(lang)
            or item.statements.get(other)
            or item.labels.get(other)
            or item.code
            or "-",
            "humanCodingScheme": item.code,
            "abbreviatedStatement": item.labels.get(lang, ""),
            "CFItemType": item.item_type.capitalize() if item.item_type in KNOWN_ITEM_TYPES else item.item_type,
            "language": lang,
            "lastChangeDateTime": format_datetime(item.last_change),
        }
        items.append({k: v for k, v in entry.items() if v != "" or k in REQUIRED_ITEM})
        sequence[item.parent] += 1
        parent = by_id.get(item.parent) if item.parent else None
        associations.append(
            {
                "identifier": str(uuid.uuid5(uuid.UUID(item.identifier), "isChildOf")),
                "uri": f"{item.uri.split('#')[0]}#isChildOf-{item.identifier}" if item.uri else "",
                "associationType": "isChildOf",
                "sequenceNumber": sequence[item.parent],
                "originNodeURI": _ref(item.code or item.labels.get(lang, ""), item.identifier, item.uri),
                "destinationNodeURI": _ref(parent.code or parent.labels.get(lang, ""), parent.identifier, parent.uri)
                if parent
                else _ref(title, fw.identifier, fw.uri),
                "lastChangeDateTime": format_datetime(item.last_change),
            }
        )
    for assoc in fw.associations:
        origin = by_id.get(assoc.origin)
        dest_title, dest_uri = assoc.destination_title, assoc.destination_uri
        destination = by_id.get(assoc.destination)
        if destination is not None:
            dest_title, dest_uri = destination.code or destination.labels.get(lang, ""), destination.uri
        entry = {
            "identifier": assoc.identifier,
            "uri": f"{fw.uri.split('#')[0]}#association-{assoc.identifier}",
            "associationType": assoc.association_type,
            "sequenceNumber": assoc.sequence_number,
            "originNodeURI": _ref(origin.code if origin else "", assoc.origin, origin.uri if origin else ""),
            "destinationNodeURI": _ref(dest_title, assoc.destination, dest_uri),
            "lastChangeDateTime": format_datetime(assoc.last_change),
        }
        if entry["sequenceNumber"] is None:
            del entry["sequenceNumber"]
        associations.append(entry)
    package = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
