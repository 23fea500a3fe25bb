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
from . import AssociationData, FormatError, FrameworkData, ItemData, format_datetime, parse_datetime, problem
from .case_fields import (
    ASSOCIATION_MODELED,
    ASSOCIATION_ORDER,
    DOCUMENT_MODELED,
    DOCUMENT_ORDER,
    ITEM_MODELED,
    ITEM_ORDER,
    PACKAGE_ORDER,
    dump_definitions,
    keep,
    ordered,
    parse_definitions,
)

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


def _sequence(raw: dict, where: str, errors: list[str], warnings: list[str]) -> int | None:
    """CASE says integer; OpenSALT and others sometimes write "2": accepted, with a warning."""
    seq = raw.get("sequenceNumber")
    if seq is None or seq == "":
        return None
    if isinstance(seq, str) and seq.strip().lstrip("+").isdigit():
        warnings.append(
            problem(
                where,
                "sequenceNumber",
                _("“%(value)s” is text: read as the whole number %(number)d")
                % {"value": seq[:20], "number": int(seq.strip())},
            )
        )
        seq = int(seq.strip())
    elif isinstance(seq, float) and seq.is_integer():
        warnings.append(
            problem(
                where,
                "sequenceNumber",
                _("“%(value)s” is not a whole number: read as %(number)d") % {"value": seq, "number": int(seq)},
            )
        )
        seq = int(seq)
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**31:
        errors.append(problem(where, "sequenceNumber", _("expected a whole number")))
        return None
    return seq


def parse_package(package, *, language: str | None = None) -> FrameworkData:
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

    parents: dict[str, tuple[str, tuple, str]] = {}
    extra_parents: list[tuple[str, str, AssociationData]] = []  # (child, parent, link) besides the first parent
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
        seq = _sequence(raw, where, errors, fw.warnings)
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
            notes=_text(raw, "notes", where, errors),
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

    # Build the depth-first order, detecting cycles (items that never reach the document).
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
    if not errors:
        _check_extra_parents(items, extra_parents, errors)
    if errors:
        raise FormatError(errors)
    fw.items = result
    fw.associations = [link for _child, _parent, link in extra_parents] + fw.associations
    return fw


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


def _ref(title: str, identifier: str, uri: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": uri}


def dump(fw: FrameworkData, *, language: str | None = None) -> bytes:
    return (json.dumps(package_dict(fw, language=language), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
        document["licenseURI"] = _ref(fw.licence, licence_id, fw.licence_uri)
    document = {
        k: v
        for k, v in document.items()
        if v not in ("", [], None) or k in ("identifier", "uri", "creator", "title", "lastChangeDateTime")
    }
    document.update({k: v for k, v in kept.items() if k != "extensions"})
    document["extensions"] = ordered({**(kept.get("extensions") or {}), "code": fw.code}, ["code"])
    document = ordered(document, DOCUMENT_ORDER)
    doc_ref = _ref(title, fw.identifier, fw.uri)
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
            "CFItemType": item.item_type.capitalize() if item.item_type in KNOWN_ITEM_TYPES else item.item_type,
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
                "originNodeURI": _ref(item.code or item.labels.get(lang, ""), item.identifier, item.uri),
                "destinationNodeURI": _ref(parent.code or parent.labels.get(lang, ""), parent.identifier, parent.uri)
                if parent
                else _ref(title, fw.identifier, fw.uri),
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
        "originNodeURI": _ref(
            (origin.code or origin.labels.get(language, "")) if origin else "",
            assoc.origin,
            origin.uri if origin else "",
        ),
        "destinationNodeURI": _ref(dest_title, assoc.destination, dest_uri),
        "notes": assoc.notes,
        "lastChangeDateTime": format_datetime(assoc.last_change),
    }
    if entry["sequenceNumber"] is None:
        del entry["sequenceNumber"]
    if not entry["notes"]:
        del entry["notes"]
    entry.update(extra)
    return ordered(entry, ASSOCIATION_ORDER)
