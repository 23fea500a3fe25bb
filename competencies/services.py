"""Writes: framework import (validate everything, then write in one transaction) and competency evidence."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .formats import DEFAULT_MAX_IMPORT_BYTES, FormatError, FrameworkData, get_format, guess_format, problem
from .models import (
    CompetencyItem,
    Evidence,
    EvidenceKind,
    Framework,
    ItemAssociation,
    PendingAssociation,
    framework_identifier,
    item_identifier,
)
from .uris import api_url

DEFAULT_MAX_DEPTH = 10
ITEM_FIELDS = ["code", "item_type", "label_fr", "label_en", "statement_fr", "statement_en", "uri", "extra"]
ROW_FIELDS = ["path", "depth", "numchild", "last_change_date_time", *ITEM_FIELDS]


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
class _Plan:
    data: FrameworkData
    framework: Framework | None
    report: ImportReport
    item_ids: dict[str, int] = field(default_factory=dict)  # identifier -> pk of existing items kept
    existing: dict[str, CompetencyItem] = field(default_factory=dict)
    to_delete: list[int] = field(default_factory=list)
    external: dict[str, int] = field(default_factory=dict)  # destinations in other frameworks
    translation_of: dict[str, CompetencyItem] = field(default_factory=dict)  # item identifier -> item translated


def max_import_bytes() -> int:
    return int(getattr(settings, "COMPETENCIES_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES))


def parse_file(
    *, data: bytes, format_name: str | None = None, language: str | None = None, filename: str = ""
) -> list[FrameworkData]:
    """Parse bytes into frameworks, or raise FormatError listing every problem."""
    if len(data) > max_import_bytes():
        raise FormatError(
            _("The file is too large (%(size)d bytes; the limit is %(limit)d).")
            % {"size": len(data), "limit": max_import_bytes()}
        )
    if not data.strip():
        raise FormatError(_("The file is empty."))
    if language not in (None, "fr", "en"):
        raise FormatError(_("Unknown language “%(lang)s”: use fr or en.") % {"lang": language})
    fmt = get_format(format_name or guess_format(data, filename))
    return fmt.parse(data, language=language)


def import_framework(
    *,
    data: bytes,
    format_name: str | None = None,
    language: str | None = None,
    dry_run: bool = False,
    filename: str = "",
) -> list[ImportReport]:
    """Import one file. Everything is validated first; on any problem FormatError is raised and nothing is written.

    Importing the same file again updates the framework in place (items matched by identifier, or by code when the
    format has no identifiers, like Moodle's CSV). Items of the framework missing from the file are removed, unless a
    learner has evidence on them (then the import is refused).
    """
    frameworks = parse_file(data=data, format_name=format_name, language=language, filename=filename)
    return _import(frameworks, dry_run=dry_run)


def import_frameworks(
    *,
    files: Sequence[tuple[str, bytes]],
    format_name: str | None = None,
    language: str | None = None,
    dry_run: bool = False,
) -> list[ImportReport]:
    """Import several files in one go (frameworks that refer to each other): all checked, then all written in one
    transaction, links between them resolved. Problems name the file they come from."""
    frameworks, errors = [], []
    for name, data in files:
        try:
            frameworks += parse_file(data=data, format_name=format_name, language=language, filename=name)
        except FormatError as exc:
            errors += [f"{name}: {error}" for error in exc.errors]
    if errors:
        raise FormatError(errors)
    return _import(frameworks, dry_run=dry_run)


def _import(frameworks: list[FrameworkData], *, dry_run: bool) -> list[ImportReport]:
    batch = {item.identifier for fw in frameworks for item in fw.items if item.identifier}
    plans = [_plan(fw, dry_run=dry_run, batch=batch) for fw in frameworks]
    if not dry_run:
        try:
            with transaction.atomic():
                for plan in plans:
                    _write(plan)
                for plan in plans:  # links last: they may point into a framework written after theirs
                    _write_links(plan)
                _resolve_pending()
        except IntegrityError:
            # Only when another import or edit wrote the same tree slots meanwhile: nothing was written.
            raise FormatError(_("Another import or edit changed the frameworks at the same time: try again.")) from None
    return [plan.report for plan in plans]


def _text_changes(instance, prefix: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{lang}": value for lang, value in texts.items() if lang in ("fr", "en")}


def _plan(data: FrameworkData, *, dry_run: bool, batch: set[str] = frozenset()) -> _Plan:
    translation = _plan_translation(data, dry_run=dry_run)
    if translation is not None:
        return translation
    errors: list[str] = []
    framework = None
    if data.identifier:
        framework = Framework.objects.filter(identifier=data.identifier).first()
    if framework is None and data.code:
        framework = Framework.objects.filter(code=data.code).first()
        if framework is not None and data.identifier and str(framework.identifier) != data.identifier:
            errors.append(
                problem(
                    _("framework"),
                    "code",
                    _("“%(code)s” is already the code of another framework (identifier %(id)s)")
                    % {"code": data.code, "id": framework.identifier},
                )
            )
    if framework is not None:
        data.code = framework.code
        data.identifier = str(framework.identifier)
    else:
        if not data.code:
            title = next((t for t in data.titles.values() if t), "")
            data.code = (slugify(title)[:80] or "framework").strip("-")
            if Framework.objects.filter(code=data.code).exists():
                data.code = f"{data.code}-{data.identifier[:8]}"
        if not data.identifier:
            data.identifier = str(framework_identifier(data.code))
        if Framework.objects.filter(identifier=data.identifier).exists():  # pragma: no cover - found above
            errors.append(problem(_("framework"), "identifier", _("already used")))
    report = ImportReport(
        framework_code=data.code,
        framework_title=next((t for t in data.titles.values() if t), data.code),
        framework_created=framework is None,
        dry_run=dry_run,
    )
    plan = _Plan(data=data, framework=framework, report=report)

    existing: dict[str, CompetencyItem] = {}
    by_code: dict[str, CompetencyItem] = {}
    if framework is not None:
        for item in CompetencyItem.objects.filter(framework=framework).order_by("path"):
            existing[str(item.identifier)] = item
            if item.code:
                by_code[item.code] = item
    # Formats without identifiers (Moodle): match by code, or mint a stable uuid5.
    code_to_id: dict[str, str] = {}
    for item in data.items:
        if not item.identifier:
            match = by_code.get(item.code)
            item.identifier = str(match.identifier) if match else str(item_identifier(data.identifier, item.code))
        code_to_id[item.code] = item.identifier
    ids = {item.identifier for item in data.items}
    # A URI that is just the one our exports build (framework URI + "#" + identifier) is not stored.
    default_base = (framework.get_uri() if framework else "") or data.uri
    for item in data.items:
        if item.uri and item.uri in (
            f"{default_base}#{item.identifier}",
            f"{data.uri}#{item.identifier}",
            api_url("CFItems", item.identifier),
        ):
            item.uri = ""
    if data.uri == api_url("CFDocuments", data.identifier):
        data.uri = ""
    for item in data.items:
        if item.parent and item.parent not in ids:
            item.parent = code_to_id.get(item.parent, item.parent)
    errors += _depth_problems(data)
    for assoc in data.associations:
        if assoc.origin not in ids:
            assoc.origin = code_to_id.get(assoc.origin, assoc.origin)
        if assoc.destination not in ids:
            assoc.destination = code_to_id.get(assoc.destination, assoc.destination)
        if not assoc.identifier:
            assoc.identifier = str(uuid.uuid5(uuid.UUID(assoc.origin), f"{assoc.association_type}:{assoc.destination}"))

    # Identifiers already used by another framework's items.
    elsewhere = dict(
        CompetencyItem.objects.filter(identifier__in=list(ids - set(existing)))
        .exclude(framework=framework)
        .values_list("identifier", "framework__code")
    )
    for item in data.items:
        if uuid.UUID(item.identifier) in elsewhere:
            errors.append(
                problem(
                    item.where,
                    "identifier",
                    _("%(id)s already belongs to an item of framework “%(fw)s”")
                    % {"id": item.identifier, "fw": elsewhere[uuid.UUID(item.identifier)]},
                )
            )
    # Codes: the file's codes are unique (checked by the parser); a code kept by an item we delete is freed.
    # Destinations outside the package must be items already in the database (crosswalks), never nothing.
    outside = {a.destination for a in data.associations if a.destination not in ids}
    found = dict(
        CompetencyItem.objects.filter(identifier__in=[uuid.UUID(d) for d in outside]).values_list("identifier", "pk")
    )
    plan.external = {str(k): v for k, v in found.items()}
    for assoc in data.associations:
        if assoc.destination not in ids and assoc.destination not in plan.external and assoc.destination not in batch:
            if assoc.association_type == "isChildOf":  # pragma: no cover - the parser keeps parents in the package
                errors.append(problem(assoc.where, "destinationNodeURI", _("unknown parent")))
                continue
            report.pending += 1
            report.warnings.append(
                problem(
                    assoc.where,
                    "destinationNodeURI",
                    _("%(id)s is not imported yet: the link is kept and completed when its framework is imported")
                    % {"id": assoc.destination},
                )
            )
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
    for assoc in data.associations:
        if uuid.UUID(assoc.identifier) in taken:
            errors.append(
                problem(
                    assoc.where,
                    "identifier",
                    _("%(id)s is already used by another framework") % {"id": assoc.identifier},
                )
            )

    # Removals: items of the framework absent from the file; refused when learners have evidence on them.
    removed = [item for ident, item in existing.items() if ident not in ids]
    if removed:
        with_evidence = set(
            Evidence.objects.filter(item__in=[i.pk for i in removed]).values_list("item_id", flat=True).distinct()
        )
        for item in removed:
            if item.pk in with_evidence:
                errors.append(
                    problem(
                        _("item “%(code)s”") % {"code": item.code or item.identifier},
                        _("(missing from the file)"),
                        _("learners have evidence on this item: keep it in the file"),
                    )
                )
        plan.to_delete = [i.pk for i in removed]
        report.deleted = [i.code or str(i.identifier) for i in removed]
    if errors:
        raise FormatError(errors)

    plan.existing = existing
    parent_of_existing = _parents(existing.values())
    for item in data.items:
        name = item.code or item.identifier
        current = existing.get(item.identifier)
        if current is None:
            report.created.append(name)
            continue
        changed = current.code != item.code or (item.item_type and current.item_type != item.item_type)
        changed = changed or parent_of_existing.get(item.identifier) != item.parent
        for fname, value in {
            **_text_changes(current, "label", item.labels),
            **_text_changes(current, "statement", item.statements),
        }.items():
            changed = changed or getattr(current, fname) != value
        changed = (
            changed
            or bool(item.uri and current.uri != item.uri)
            or bool(item.extra and current.extra != _compact({**current.extra, **item.extra}))
        )
        changed = changed or bool(item.last_change and current.last_change_date_time != item.last_change)
        (report.updated if changed else report.unchanged).append(name)
    # Order changes among siblings count as updates too.
    if existing:
        old_order = [i for i in existing if i in ids]
        new_order = [i.identifier for i in data.items if i.identifier in existing]
        if old_order != new_order:
            moved = {a for a, b in zip(old_order, new_order, strict=True) if a != b}
            moved_names = {item.code or item.identifier for item in data.items if item.identifier in moved}
            report.updated += [name for name in report.unchanged if name in moved_names]
            report.unchanged = [name for name in report.unchanged if name not in moved_names]
    report.associations = len(data.associations)
    report.warnings = data.warnings + report.warnings
    return plan


def max_depth() -> int:
    """How many levels a framework may have (aspect → competency → level → … ). treebeard's path column gives the hard
    ceiling (255 characters, 4 per level: 63 levels); the platform's limit is far below it and well above any real
    framework (UNESCO's has 3)."""
    return int(getattr(settings, "COMPETENCIES_MAX_DEPTH", DEFAULT_MAX_DEPTH))


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


def _too_deep(depth: int) -> None:
    if depth > max_depth():
        raise ValueError(
            _("A framework may have at most %(limit)d levels: this item would be at level %(depth)d.")
            % {"limit": max_depth(), "depth": depth}
        )


def _compact(extra: dict) -> dict:
    return {key: value for key, value in extra.items() if value not in ({}, [], "", None)}


def _plan_translation(data: FrameworkData, *, dry_run: bool) -> _Plan | None:
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
    plan = _Plan(data=data, framework=framework, report=report)
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


def _write_translation(plan: _Plan) -> None:
    data, framework, lang = plan.data, plan.framework, plan.data.language
    if data.titles.get(lang):
        setattr(framework, f"title_{lang}", data.titles[lang])
    if data.descriptions.get(lang):
        setattr(framework, f"description_{lang}", data.descriptions[lang])
    framework.save()
    rows = []
    for item in data.items:
        target = plan.translation_of[item.identifier]
        setattr(target, f"label_{lang}", item.labels.get(lang, ""))
        setattr(target, f"statement_{lang}", item.statements.get(lang, ""))
        rows.append(target)
    CompetencyItem.objects.bulk_update(rows, [f"label_{lang}", f"statement_{lang}"], batch_size=200)


def _parents(items: Iterable[CompetencyItem]) -> dict[str, str | None]:
    by_path = {item.path: str(item.identifier) for item in items}
    steplen = CompetencyItem.steplen
    return {ident: by_path.get(path[:-steplen]) for path, ident in by_path.items()}


def _next_root_step(exclude_framework: Framework | None) -> int:
    qs = CompetencyItem.objects.filter(depth=1)
    if exclude_framework is not None:
        qs = qs.exclude(framework=exclude_framework)
    last = qs.order_by("-path").values_list("path", flat=True).first()
    return CompetencyItem._str2int(last) if last else 0


def _write(plan: _Plan) -> None:
    if plan.translation_of:
        _write_translation(plan)
        return
    data, report = plan.data, plan.report
    now = timezone.now()
    values = {
        "uri": data.uri,
        "creator": data.creator,
        "publisher": data.publisher,
        "edition": data.edition,
        "source_url": data.source_url,
        "licence": data.licence,
        "licence_uri": data.licence_uri,
        "adoption_status": data.adoption_status,
        "notes": data.notes,
    }
    framework = plan.framework
    if framework is None:
        framework = Framework(code=data.code, identifier=data.identifier)
    for name, value in values.items():
        if value:
            setattr(framework, name, value)
    for lang, value in data.titles.items():
        setattr(framework, f"title_{lang}", value)
    for lang, value in data.descriptions.items():
        setattr(framework, f"description_{lang}", value)
    if data.subjects:
        framework.subjects = data.subjects
    if data.extra:
        framework.extra = _compact({**framework.extra, **data.extra})
    framework.last_change_date_time = data.last_change or (
        now if report.created or report.updated else framework.last_change_date_time
    )
    framework.save()

    manager = CompetencyItem.objects
    steplen = CompetencyItem.steplen
    if plan.to_delete:
        # Plain delete (not treebeard's, which would take the path-prefix descendants, possibly moved elsewhere).
        models.QuerySet.delete(manager.filter(pk__in=plan.to_delete))
    # Top-level slots: the framework's own current ones first (so an unchanged tree keeps every path), then new
    # ones after the last top-level item of the whole forest.
    own_roots = sorted(
        item.path for item in plan.existing.values() if item.depth == 1 and item.pk not in plan.to_delete
    )
    next_step = _next_root_step(None)
    root_paths = iter(own_roots)

    def next_root() -> str:
        nonlocal next_step
        path = next(root_paths, None)
        if path is None:
            next_step += 1
            path = CompetencyItem._get_path(None, 1, next_step)
        return path

    touched = set(report.created) | set(report.updated)
    paths: dict[str | None, str] = {}
    counters: dict[str | None, int] = defaultdict(int)
    numchild: dict[str, int] = defaultdict(int)
    for item in data.items:
        if item.parent:
            numchild[item.parent] += 1
    to_create, to_update = [], []
    for item in data.items:
        counters[item.parent] += 1
        if item.parent is None:
            path = next_root()
        else:
            parent_path = paths[item.parent]
            path = CompetencyItem._get_path(parent_path, len(parent_path) // steplen + 1, counters[item.parent])
        paths[item.identifier] = path
        current = plan.existing.get(item.identifier)
        node = current or CompetencyItem(identifier=item.identifier, framework=framework)
        before = [getattr(node, f) for f in ROW_FIELDS] if current else None
        node.path, node.depth, node.numchild = path, len(path) // steplen, numchild[item.identifier]
        node.code = item.code
        if item.item_type or node.pk is None:
            node.item_type = item.item_type
        for lang, value in item.labels.items():
            setattr(node, f"label_{lang}", value)
        for lang, value in item.statements.items():
            setattr(node, f"statement_{lang}", value)
        if item.uri:
            node.uri = item.uri
        if item.extra:  # a CASE file always says (possibly {"case": {}}: no optional field any more)
            node.extra = _compact({**(node.extra or {}), **item.extra})
        name = item.code or item.identifier
        if item.last_change:
            node.last_change_date_time = item.last_change
        elif name in touched:
            node.last_change_date_time = now
        if current is None:
            to_create.append(node)
        elif [getattr(node, f) for f in ROW_FIELDS] != before:
            to_update.append((node, before))
    if to_update:
        # Free the paths and codes of the rows that change first, so that moves and swaps never collide
        # (PostgreSQL checks unique constraints row by row). Rows that do not change keep theirs.
        changed_ids = [node.pk for node, _before in to_update]
        for chunk in range(0, len(changed_ids), 1000):
            manager.filter(pk__in=changed_ids[chunk : chunk + 1000]).update(
                path=Concat(Value("~"), Cast("id", output_field=models.CharField())), code=""
            )
        manager.bulk_update([node for node, _before in to_update], ROW_FIELDS, batch_size=100)
    if to_create:
        manager.bulk_create(to_create, batch_size=1000)
    plan.framework = framework


def _write_links(plan: _Plan) -> None:
    """Links: replaced as a whole (their identifiers are kept). A destination not imported yet is kept pending."""
    if plan.translation_of:
        return
    data, framework, now = plan.data, plan.framework, timezone.now()
    ItemAssociation.objects.filter(framework=framework).delete()
    PendingAssociation.objects.filter(framework=framework).delete()
    if not data.associations:
        return
    manager = CompetencyItem.objects
    pks = {str(k): v for k, v in manager.filter(framework=framework).values_list("identifier", "pk")}
    outside = [uuid.UUID(a.destination) for a in data.associations if a.destination not in pks]
    pks |= {str(k): v for k, v in manager.filter(identifier__in=outside).values_list("identifier", "pk")}
    links, pending = [], []
    for assoc in data.associations:
        common = {
            "framework": framework,
            "identifier": assoc.identifier,
            "association_type": assoc.association_type,
            "origin_id": pks[assoc.origin],
            "sequence_number": assoc.sequence_number,
            "last_change_date_time": assoc.last_change or now,
            "notes": assoc.notes,
            "extra": assoc.extra,
        }
        if assoc.destination in pks:
            links.append(ItemAssociation(destination_id=pks[assoc.destination], **common))
        else:
            pending.append(
                PendingAssociation(
                    destination_identifier=assoc.destination,
                    destination_title=assoc.destination_title[:255],
                    destination_uri=assoc.destination_uri[:500],
                    **common,
                )
            )
    ItemAssociation.objects.bulk_create(links, batch_size=1000)
    PendingAssociation.objects.bulk_create(pending, batch_size=1000)


def _resolve_pending() -> int:
    """Links kept pending whose destination now exists become real links. Returns how many."""
    waiting = list(PendingAssociation.objects.all().only("destination_identifier"))
    if not waiting:
        return 0
    found = dict(
        CompetencyItem.objects.filter(identifier__in={p.destination_identifier for p in waiting}).values_list(
            "identifier", "pk"
        )
    )
    ready = list(PendingAssociation.objects.filter(destination_identifier__in=list(found)))
    ItemAssociation.objects.bulk_create(
        [
            ItemAssociation(
                framework_id=p.framework_id,
                identifier=p.identifier,
                association_type=p.association_type,
                origin_id=p.origin_id,
                destination_id=found[p.destination_identifier],
                sequence_number=p.sequence_number,
                last_change_date_time=p.last_change_date_time,
                notes=p.notes,
                extra=p.extra,
            )
            for p in ready
        ],
        batch_size=1000,
    )
    PendingAssociation.objects.filter(pk__in=[p.pk for p in ready]).delete()
    return len(ready)


# --- Single edits from the admin (treebeard's API) -------------------------------------------------------------------

POSITIONS = ("first-child", "last-child", "left", "right")


@transaction.atomic
def add_item(
    *,
    framework: Framework,
    parent: CompetencyItem | None,
    position: str = "last-child",
    sibling: CompetencyItem | None = None,
    **fields,
) -> CompetencyItem:
    """Add an item under ``parent`` (None: top level), last, or just before/after ``sibling``."""
    _too_deep(
        sibling.depth if sibling is not None and position in ("left", "right") else (parent.depth if parent else 0) + 1
    )
    item = CompetencyItem(framework=framework, **fields)
    if not item.code and not fields.get("identifier"):
        item.identifier = uuid.uuid4()
    elif not fields.get("identifier"):
        item.identifier = item_identifier(framework.identifier, item.code)
        if CompetencyItem.objects.filter(identifier=item.identifier).exists():
            item.identifier = uuid.uuid4()
    if sibling is not None and position in ("left", "right"):
        node = sibling.add_sibling(position, instance=item)
    elif parent is not None:
        node = parent.add_child(instance=item)
        if position == "first-child" and parent.numchild > 0:
            first = parent.get_first_child()
            if first and first.pk != node.pk:
                node.move(first, "left")
    else:
        top = CompetencyItem.objects.filter(framework=framework, depth=1).order_by("path")
        if position == "first-child" and top.exists():
            node = top.first().add_sibling("left", instance=item)
        elif top.exists():
            node = top.last().add_sibling("right", instance=item)
        else:
            node = CompetencyItem.add_root(instance=item)
    Framework.objects.filter(pk=framework.pk).update(last_change_date_time=timezone.now())
    return node


@transaction.atomic
def move_item(
    *,
    item: CompetencyItem,
    parent: CompetencyItem | None,
    position: str = "last-child",
    sibling: CompetencyItem | None = None,
) -> CompetencyItem:
    """Move ``item`` (with its subtree) under ``parent`` or next to ``sibling``; refuses moves into its own subtree."""
    target = sibling or parent
    if target is not None:
        if target.framework_id != item.framework_id:
            raise ValueError(_("An item cannot move to another framework."))
        if target.path.startswith(item.path):
            raise ValueError(_("An item cannot move under itself or one of its descendants."))
        subtree_height = (
            CompetencyItem.objects.filter(framework_id=item.framework_id, path__startswith=item.path).aggregate(
                deepest=models.Max("depth")
            )["deepest"]
            - item.depth
        )
        if sibling is not None and position in ("left", "right"):
            new_depth = sibling.depth
        else:
            new_depth = parent.depth + 1 if parent is not None else 1
        _too_deep(new_depth + subtree_height)
    if sibling is not None and position in ("left", "right"):
        item.move(sibling, position)
    elif parent is not None:
        item.move(parent, "first-child" if position == "first-child" else "last-child")
    else:
        top = list(
            CompetencyItem.objects.filter(framework_id=item.framework_id, depth=1).exclude(pk=item.pk).order_by("path")
        )
        if top:
            item.move(
                top[0] if position == "first-child" else top[-1], "left" if position == "first-child" else "right"
            )
    item.refresh_from_db()
    now = timezone.now()
    CompetencyItem.objects.filter(pk=item.pk).update(last_change_date_time=now)
    Framework.objects.filter(pk=item.framework_id).update(last_change_date_time=now)
    return item


@transaction.atomic
def reorder_item(*, item: CompetencyItem, direction: str) -> CompetencyItem:
    """Swap the item with its previous ("up") or next ("down") sibling."""
    if direction == "up":
        other = item.get_prev_sibling()
        if other is not None and other.framework_id == item.framework_id:
            item.move(other, "left")
    elif direction == "down":
        other = item.get_next_sibling()
        if other is not None and other.framework_id == item.framework_id:
            item.move(other, "right")
    else:
        raise ValueError(direction)
    item.refresh_from_db()
    Framework.objects.filter(pk=item.framework_id).update(last_change_date_time=timezone.now())
    return item


# --- Evidence ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence for ``record_evidence_bulk``."""

    item: CompetencyItem | int
    source_key: str
    attempt_key: str | None = None
    question_key: str | None = None
    kind: str = EvidenceKind.ANSWER
    correct: bool | None = None
    score: float | None = None
    occurred_at: dt.datetime | None = None


def _evidence_row(user, entry: EvidenceInput, now: dt.datetime) -> Evidence:
    if not entry.source_key:
        raise ValueError("source_key is required")
    if entry.kind not in EvidenceKind.values:
        raise ValueError(f"unknown evidence kind {entry.kind!r}")
    if entry.score is not None and not 0.0 <= entry.score <= 1.0:
        raise ValueError("score must be between 0 and 1")
    item_id = entry.item if isinstance(entry.item, int) else entry.item.pk
    return Evidence(
        user=user,
        item_id=item_id,
        source_key=entry.source_key[:255],
        attempt_key=(entry.attempt_key or "")[:255],
        question_key=(entry.question_key or "")[:255],
        kind=entry.kind,
        correct=entry.correct,
        score=entry.score,
        occurred_at=entry.occurred_at or now,
    )


@transaction.atomic
def record_evidence_bulk(*, user, entries: Sequence[EvidenceInput]) -> int:
    """Record several pieces of evidence in one statement (a quiz submission). Recording the same
    (item, source, attempt, question, kind) again updates it instead of duplicating it. Returns the count."""
    now = timezone.now()
    unique: dict[tuple, Evidence] = {}
    for entry in entries:  # the same key twice in one call: the last one wins (one row per key)
        row = _evidence_row(user, entry, now)
        unique[(row.item_id, row.source_key, row.attempt_key, row.question_key, row.kind)] = row
    rows = list(unique.values())
    if not rows:
        return 0
    Evidence.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "item", "source_key", "attempt_key", "question_key", "kind"],
        update_fields=["correct", "score", "occurred_at"],
        batch_size=500,
    )
    return len(rows)


@transaction.atomic
def record_evidence(
    *,
    user,
    item: CompetencyItem | int,
    source_key: str,
    attempt_key: str | None = None,
    question_key: str | None = None,
    kind: str = EvidenceKind.ANSWER,
    correct: bool | None = None,
    score: float | None = None,
    occurred_at: dt.datetime | None = None,
) -> None:
    """Record that ``user`` showed evidence for ``item`` in the activity ``source_key`` (an opaque stable key)."""
    record_evidence_bulk(
        user=user,
        entries=[EvidenceInput(item, source_key, attempt_key, question_key, kind, correct, score, occurred_at)],
    )


# --- Drafts and publication (the trust model: an edit reaches the public page and learners only once published) ---


DRAFT_FIELDS = ["code", "item_type", "label_fr", "statement_fr", "label_en", "statement_en"]


@transaction.atomic
def save_item_draft(*, item: CompetencyItem, user) -> None:
    """Keep the edited texts as a draft revision; the live row changes only if the item was never published."""
    item.last_change_date_time = timezone.now()
    if not item.live:  # never published: the row is the draft (its place in the tree is left as it is now)
        item.save(update_fields=[*DRAFT_FIELDS, "last_change_date_time"])
    item.save_revision(user=user, log_action=True)


@transaction.atomic
def publish_item(*, item: CompetencyItem, user) -> bool:
    """Publish the item's latest revision (False when there is nothing pending). The caller checks the permission."""
    item = CompetencyItem.objects.select_for_update().get(pk=item.pk)
    if item.live and not item.has_unpublished_changes:
        return False
    if item.depth > 1 and item.get_ancestors().filter(live=False).exists():
        raise ValueError(_("Publish the items above this one first: it cannot show under a draft."))
    revision = item.latest_revision or item.save_revision(user=user)
    revision.publish(user=user)
    return True
