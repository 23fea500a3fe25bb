"""The importer's first half: check a parsed framework against the database and plan what writing it will do,
without writing anything. The parsed ``FrameworkData`` is never changed: the plan holds a normalised copy (codes
resolved to identifiers, identifiers minted, default URIs dropped) that the writer uses."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..formats import FormatError, FrameworkData, problem
from ..models import (
    CompetencyItem,
    Evidence,
    Framework,
    ItemAssociation,
    PendingAssociation,
    framework_identifier,
    item_identifier,
)
from ..tree import max_depth
from ..uris import api_url


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    framework_code: str
    framework_title: str
    framework_created: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    associations: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    pending: int = 0  # links whose destination is not imported yet (kept, completed when it arrives)

    def summary(self) -> str:
        return _(
            "%(framework)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(deleted)d removed, "
            "%(links)d links"
        ) % {
            "framework": self.framework_code,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "deleted": len(self.deleted),
            "links": self.associations,
        }


@dataclass
class Plan:
    data: FrameworkData  # normalised: every item and link has its identifier, parents are identifiers
    framework: Framework | None
    report: ImportReport
    existing: dict[str, CompetencyItem] = field(default_factory=dict)  # identifier -> the framework's items before
    to_delete: list[int] = field(default_factory=list)
    translation_of: dict[str, CompetencyItem] = field(default_factory=dict)  # item identifier -> item translated


def compact(extra: dict) -> dict:
    return {key: value for key, value in extra.items() if value not in ({}, [], "", None)}


def plan_import(data: FrameworkData, *, dry_run: bool, batch: set[str] = frozenset()) -> Plan:
    """Everything checked, nothing written: a Plan, or FormatError listing every problem. ``batch``: the identifiers
    of the items imported together (links to them are not pending)."""
    translation = _plan_translation(data, dry_run=dry_run)
    if translation is not None:
        return translation
    framework, errors = _find_framework(data)
    code, identifier = _framework_keys(data, framework)
    if framework is None and Framework.objects.filter(identifier=identifier).exists():  # a framework renamed since
        errors.append(problem(_("framework"), "identifier", _("already used")))
    existing = _existing_items(framework)
    data = _normalised(data, framework=framework, code=code, identifier=identifier, existing=existing)
    ids = {item.identifier for item in data.items}
    removed = [item for ident, item in existing.items() if ident not in ids]
    errors += _depth_problems(data)
    errors += _identifier_problems(data, framework, ids - set(existing))
    warnings, link_errors = _pending_links(data, ids, batch)
    errors += link_errors + _link_problems(data, framework)
    errors += _removal_problems(removed)
    if errors:
        raise FormatError(errors)
    created, updated, unchanged = _changes(data, existing, ids)
    report = ImportReport(
        framework_code=code,
        framework_title=next((t for t in data.titles.values() if t), code),
        framework_created=framework is None,
        created=created,
        updated=updated,
        unchanged=unchanged,
        deleted=[i.code or str(i.identifier) for i in removed],
        associations=len(data.associations),
        dry_run=dry_run,
        warnings=data.warnings + warnings,
        pending=len(warnings),
    )
    return Plan(data=data, framework=framework, report=report, existing=existing, to_delete=[i.pk for i in removed])


def _find_framework(data: FrameworkData) -> tuple[Framework | None, list[str]]:
    """The framework the file updates (by identifier, else by code), and a problem if its code names another."""
    framework = Framework.objects.filter(identifier=data.identifier).first() if data.identifier else None
    if framework is not None or not data.code:
        return framework, []
    framework = Framework.objects.filter(code=data.code).first()
    if framework is not None and data.identifier and str(framework.identifier) != data.identifier:
        message = _("“%(code)s” is already the code of another framework (identifier %(id)s)") % {
            "code": data.code,
            "id": framework.identifier,
        }
        return framework, [problem(_("framework"), "code", message)]
    return framework, []


def _framework_keys(data: FrameworkData, framework: Framework | None) -> tuple[str, str]:
    """(code, identifier): the existing framework's, else the file's, minted when it gives none."""
    if framework is not None:
        return framework.code, str(framework.identifier)
    code = data.code
    if not code:
        title = next((t for t in data.titles.values() if t), "")
        code = (slugify(title)[:80] or "framework").strip("-")
        if Framework.objects.filter(code=code).exists():
            code = f"{code}-{data.identifier[:8]}"
    return code, data.identifier or str(framework_identifier(code))


def _existing_items(framework: Framework | None) -> dict[str, CompetencyItem]:
    if framework is None:
        return {}
    items = CompetencyItem.objects.filter(framework=framework).order_by("path")
    return {str(item.identifier): item for item in items}


def _normalised(
    data: FrameworkData, *, framework: Framework | None, code: str, identifier: str, existing: dict
) -> FrameworkData:
    """A copy of ``data`` ready to write. Formats without identifiers (Moodle) match items by code, or mint a stable
    uuid5; parents and link ends given by code become identifiers; a URI that is just the one our exports build
    (framework URI + "#" + identifier, or our CASE API's) is not stored."""
    by_code = {item.code: item for item in existing.values() if item.code}
    code_to_id: dict[str, str] = {}
    items = []
    for item in data.items:
        ident = item.identifier
        if not ident:
            match = by_code.get(item.code)
            ident = str(match.identifier) if match else str(item_identifier(identifier, item.code))
        code_to_id[item.code] = ident
        items.append(replace(item, identifier=ident))
    ids = {item.identifier for item in items}
    default_base = (framework.get_uri() if framework else "") or data.uri
    for index, item in enumerate(items):
        ours = (
            f"{default_base}#{item.identifier}",
            f"{data.uri}#{item.identifier}",
            api_url("CFItems", item.identifier),
        )
        parent = item.parent if not item.parent or item.parent in ids else code_to_id.get(item.parent, item.parent)
        items[index] = replace(item, uri="" if item.uri in ours else item.uri, parent=parent)
    associations = []
    for assoc in data.associations:
        origin = assoc.origin if assoc.origin in ids else code_to_id.get(assoc.origin, assoc.origin)
        destination = (
            assoc.destination if assoc.destination in ids else code_to_id.get(assoc.destination, assoc.destination)
        )
        ident = assoc.identifier or str(uuid.uuid5(uuid.UUID(origin), f"{assoc.association_type}:{destination}"))
        associations.append(replace(assoc, origin=origin, destination=destination, identifier=ident))
    uri = "" if data.uri == api_url("CFDocuments", identifier) else data.uri
    return replace(data, code=code, identifier=identifier, uri=uri, items=items, associations=associations)


def _identifier_problems(data: FrameworkData, framework: Framework | None, new_ids: set[str]) -> list[str]:
    """Identifiers of new items already used by another framework's items."""
    elsewhere = dict(
        CompetencyItem.objects.filter(identifier__in=list(new_ids))
        .exclude(framework=framework)
        .values_list("identifier", "framework__code")
    )
    return [
        problem(
            item.where,
            "identifier",
            _("%(id)s already belongs to an item of framework “%(fw)s”")
            % {"id": item.identifier, "fw": elsewhere[uuid.UUID(item.identifier)]},
        )
        for item in data.items
        if uuid.UUID(item.identifier) in elsewhere
    ]


def _pending_links(data: FrameworkData, ids: set[str], batch: set[str]) -> tuple[list[str], list[str]]:
    """Links to items neither in the file, nor in the database, nor imported together are kept pending: one warning
    each. Returns (warnings, problems)."""
    outside = {a.destination for a in data.associations if a.destination not in ids}
    found = {
        str(identifier)
        for identifier in CompetencyItem.objects.filter(identifier__in=[uuid.UUID(d) for d in outside]).values_list(
            "identifier", flat=True
        )
    }
    warnings, problems = [], []
    for assoc in data.associations:
        if assoc.destination not in outside or assoc.destination in found or assoc.destination in batch:
            continue
        if assoc.association_type == "isChildOf":  # pragma: no cover - the parser keeps parents in the package
            problems.append(problem(assoc.where, "destinationNodeURI", _("unknown parent")))
            continue
        warnings.append(
            problem(
                assoc.where,
                "destinationNodeURI",
                _("%(id)s is not imported yet: the link is kept and completed when its framework is imported")
                % {"id": assoc.destination},
            )
        )
    return warnings, problems


def _link_problems(data: FrameworkData, framework: Framework | None) -> list[str]:
    """Link identifiers already used by another framework's links."""
    assoc_ids = [uuid.UUID(a.identifier) for a in data.associations]
    taken = set(
        ItemAssociation.objects.filter(identifier__in=assoc_ids)
        .exclude(framework=framework)
        .values_list("identifier", flat=True)
    ) | set(
        PendingAssociation.objects.filter(identifier__in=assoc_ids)
        .exclude(framework=framework)
        .values_list("identifier", flat=True)
    )
    return [
        problem(assoc.where, "identifier", _("%(id)s is already used by another framework") % {"id": assoc.identifier})
        for assoc in data.associations
        if uuid.UUID(assoc.identifier) in taken
    ]


def _removal_problems(removed: list[CompetencyItem]) -> list[str]:
    """Items of the framework absent from the file are removed; refused when learners have evidence on them."""
    if not removed:
        return []
    with_evidence = set(
        Evidence.objects.filter(item__in=[i.pk for i in removed]).values_list("item_id", flat=True).distinct()
    )
    return [
        problem(
            _("item “%(code)s”") % {"code": item.code or item.identifier},
            _("(missing from the file)"),
            _("learners have evidence on this item: keep it in the file"),
        )
        for item in removed
        if item.pk in with_evidence
    ]


def _changes(
    data: FrameworkData, existing: dict[str, CompetencyItem], ids: set[str]
) -> tuple[list[str], list[str], list[str]]:
    """The names of the items (created, updated, unchanged). Order changes among siblings count as updates."""
    created, updated, unchanged = [], [], []
    parent_of_existing = _parents(existing.values())
    for item in data.items:
        name = item.code or item.identifier
        current = existing.get(item.identifier)
        if current is None:
            created.append(name)
        elif _changed(item, current, parent_of_existing):
            updated.append(name)
        else:
            unchanged.append(name)
    old_order = [ident for ident in existing if ident in ids]
    new_order = [i.identifier for i in data.items if i.identifier in existing]
    if old_order != new_order:
        moved = {a for a, b in zip(old_order, new_order, strict=True) if a != b}
        moved_names = {item.code or item.identifier for item in data.items if item.identifier in moved}
        updated += [name for name in unchanged if name in moved_names]
        unchanged = [name for name in unchanged if name not in moved_names]
    return created, updated, unchanged


def _changed(item, current: CompetencyItem, parent_of_existing: dict[str, str | None]) -> bool:
    texts = {
        **{f"label_{lang}": value for lang, value in item.labels.items() if lang in ("fr", "en")},
        **{f"statement_{lang}": value for lang, value in item.statements.items() if lang in ("fr", "en")},
    }
    return (
        current.code != item.code
        or bool(item.item_type and current.item_type != item.item_type)
        or parent_of_existing.get(item.identifier) != item.parent
        or any(getattr(current, name) != value for name, value in texts.items())
        or bool(item.uri and current.uri != item.uri)
        or bool(item.extra and current.extra != compact({**current.extra, **item.extra}))
        or bool(item.last_change and current.last_change_date_time != item.last_change)
    )


def _parents(items: Iterable[CompetencyItem]) -> dict[str, str | None]:
    by_path = {item.path: str(item.identifier) for item in items}
    steplen = CompetencyItem.steplen
    return {ident: by_path.get(path[:-steplen]) for path, ident in by_path.items()}


def _depth_problems(data: FrameworkData) -> list[str]:
    """One problem per branch that goes deeper than the limit, naming the first item past it (parents come before
    their children in ``data.items``; computed without recursion)."""
    limit = max_depth()
    depth: dict[str, int] = {}
    problems = []
    for item in data.items:
        depth[item.identifier] = depth.get(item.parent, 0) + 1 if item.parent else 1
        if depth[item.identifier] == limit + 1:
            problems.append(
                problem(
                    item.where,
                    _("level"),
                    _("this item is at level %(depth)d; a framework may have at most %(limit)d levels")
                    % {"depth": limit + 1, "limit": limit},
                )
            )
    deepest = max(depth.values(), default=0)
    if problems and deepest > limit + 1:
        problems.append(
            problem(
                _("framework"),
                _("level"),
                _("the file is %(depth)d levels deep; a framework may have at most %(limit)d levels")
                % {"depth": deepest, "limit": limit},
            )
        )
    return problems


def _plan_translation(data: FrameworkData, *, dry_run: bool) -> Plan | None:
    """A CASE document in a second language whose every item ``isTranslationOf`` an item already imported:
    its texts go onto those items (one tree, two languages), nothing else changes."""
    links = {a.origin: a.destination for a in data.associations if a.association_type == "isTranslationOf"}
    if not data.language or not data.items or any(item.identifier not in links for item in data.items):
        return None
    targets = {
        str(item.identifier): item
        for item in CompetencyItem.objects.select_related("framework").filter(
            identifier__in=[uuid.UUID(d) for d in links.values()]
        )
    }
    frameworks = {item.framework_id for item in targets.values()}
    if len(targets) != len(set(links.values())) or len(frameworks) != 1:
        return None  # not (only) a translation: imported as a framework of its own, the links kept
    framework = next(iter(targets.values())).framework
    report = ImportReport(
        framework_code=framework.code, framework_title=framework.title, framework_created=False, dry_run=dry_run
    )
    plan = Plan(data=data, framework=framework, report=report)
    lang = data.language
    for item in data.items:
        target = targets[links[item.identifier]]
        plan.translation_of[item.identifier] = target
        name = target.code or str(target.identifier)
        changed = any(
            getattr(target, f"{prefix}_{lang}") != texts.get(lang, "")
            for prefix, texts in (("label", item.labels), ("statement", item.statements))
        )
        (report.updated if changed else report.unchanged).append(name)
    return plan
