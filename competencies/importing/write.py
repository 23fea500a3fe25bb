"""The importer's second half: write a checked plan (inside the import's transaction). The tree is written in bulk,
paths computed here, so that importing the same file again keeps every row and every path."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator

from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ..models import CompetencyItem, Framework, ItemAssociation, PendingAssociation
from ..tree import delete_items
from .plan import Plan, compact

ITEM_FIELDS = ["code", "item_type", "label_fr", "label_en", "statement_fr", "statement_en", "uri", "extra"]
ROW_FIELDS = ["path", "depth", "numchild", "last_change_date_time", *ITEM_FIELDS]
FRAMEWORK_FIELDS = [
    "uri",
    "creator",
    "publisher",
    "edition",
    "source_url",
    "licence",
    "licence_uri",
    "adoption_status",
    "notes",
]


def write_plan(plan: Plan) -> Framework:
    """The framework and its items (links come after every framework of the import: ``write_links``)."""
    if plan.translation_of:
        return _write_translation(plan)
    now = timezone.now()
    framework = _write_framework(plan, now)
    if plan.to_delete:
        delete_items(item_ids=plan.to_delete)
    _write_items(plan, framework, now)
    return framework


def _write_framework(plan: Plan, now: dt.datetime) -> Framework:
    data, report = plan.data, plan.report
    framework = plan.framework or Framework(code=data.code, identifier=data.identifier)
    for name in FRAMEWORK_FIELDS:
        if getattr(data, name):
            setattr(framework, name, getattr(data, name))
    for lang, value in data.titles.items():
        setattr(framework, f"title_{lang}", value)
    for lang, value in data.descriptions.items():
        setattr(framework, f"description_{lang}", value)
    if data.subjects:
        framework.subjects = data.subjects
    if data.extra:
        framework.extra = compact({**framework.extra, **data.extra})
    framework.last_change_date_time = data.last_change or (
        now if report.created or report.updated else framework.last_change_date_time
    )
    framework.save()
    return framework


def _root_paths(plan: Plan) -> Iterator[str]:
    """Top-level slots: the framework's own current ones first (so an unchanged tree keeps every path), then new
    ones after the last top-level item of the whole forest."""
    own = sorted(item.path for item in plan.existing.values() if item.depth == 1 and item.pk not in plan.to_delete)
    yield from own
    last = CompetencyItem.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    step = CompetencyItem._str2int(last) if last else 0
    while True:
        step += 1
        yield CompetencyItem._get_path(None, 1, step)


def _write_items(plan: Plan, framework: Framework, now: dt.datetime) -> None:
    data, report = plan.data, plan.report
    steplen = CompetencyItem.steplen
    root_paths = _root_paths(plan)
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
            path = next(root_paths)
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
            node.extra = compact({**(node.extra or {}), **item.extra})
        if item.last_change:
            node.last_change_date_time = item.last_change
        elif (item.code or item.identifier) in touched:
            node.last_change_date_time = now
        if current is None:
            to_create.append(node)
        elif [getattr(node, f) for f in ROW_FIELDS] != before:
            to_update.append(node)
    manager = CompetencyItem.objects
    if to_update:
        # Free the paths and codes of the rows that change first, so that moves and swaps never collide
        # (PostgreSQL checks unique constraints row by row). Rows that do not change keep theirs.
        changed_ids = [node.pk for node in to_update]
        for chunk in range(0, len(changed_ids), 1000):
            manager.filter(pk__in=changed_ids[chunk : chunk + 1000]).update(
                path=Concat(Value("~"), Cast("id", output_field=models.CharField())), code=""
            )
        manager.bulk_update(to_update, ROW_FIELDS, batch_size=100)
    if to_create:
        manager.bulk_create(to_create, batch_size=1000)


def _write_translation(plan: Plan) -> Framework:
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
    return framework


def write_links(plan: Plan, framework: Framework) -> None:
    """Links: replaced as a whole (their identifiers are kept). A destination not imported yet is kept pending."""
    if plan.translation_of:
        return
    data, now = plan.data, timezone.now()
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


def resolve_pending() -> int:
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
