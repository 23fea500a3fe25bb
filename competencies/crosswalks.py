"""Crosswalks: typed links (``exactMatchOf``, ``isRelatedTo``) from an item of one framework to an item of another.

Frameworks are linked, never merged. A crosswalk is an ``ItemAssociation`` held by the origin's framework, so it
travels in that framework's CASE export (and comes back on import); its ``notes`` say which public source supports
it. Writes (keyword-only, atomic) and reads live here, beside the framework services they extend.

**Evidence rule** (one place: ``exact_matches``): a learner's evidence on an item counts, in the competency profile,
for every item linked to it by ``exactMatchOf`` in either direction, one step only (a match of a match does not
count). ``isRelatedTo`` links are shown but never carry evidence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AssociationType, CompetencyItem, Framework, ItemAssociation

CROSSWALK_TYPES = (AssociationType.EXACT_MATCH_OF, AssociationType.IS_RELATED_TO)


class CrosswalkError(ValueError):
    """A crosswalk that cannot be written; the message names the field."""


@dataclass
class Match:
    association: ItemAssociation
    type_label: str
    item: CompetencyItem  # the item in the other framework
    framework: Framework

    @property
    def framework_title(self) -> str:
        return self.framework.title

    @property
    def url(self) -> str:
        return f"{self.framework.get_absolute_url()}#{self.item.identifier}"


# --- Writes -------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_crosswalk(
    *, origin: CompetencyItem, destination: CompetencyItem, association_type: str, notes: str
) -> ItemAssociation:
    """Link ``origin`` to ``destination`` (another framework's item). ``notes`` names the supporting source."""
    if association_type not in CROSSWALK_TYPES:
        raise CrosswalkError(_("Type: choose “exact match of” or “is related to”."))
    if origin.framework_id == destination.framework_id:
        raise CrosswalkError(_("A crosswalk links items of two different frameworks."))
    if not notes.strip():
        raise CrosswalkError(_("Source: say which public source supports this link."))
    if ItemAssociation.objects.filter(
        Q(origin=origin, destination=destination) | Q(origin=destination, destination=origin),
        association_type=association_type,
    ).exists():
        raise CrosswalkError(_("These two items are already linked this way."))
    now = timezone.now()
    link = ItemAssociation.objects.create(
        framework_id=origin.framework_id,
        association_type=association_type,
        origin=origin,
        destination=destination,
        notes=notes.strip(),
        last_change_date_time=now,
    )
    Framework.objects.filter(pk=origin.framework_id).update(last_change_date_time=now)
    return link


@transaction.atomic
def remove_crosswalk(*, association: ItemAssociation) -> None:
    if association.association_type not in CROSSWALK_TYPES:
        raise CrosswalkError(_("Only crosswalk links are removed here."))
    Framework.objects.filter(pk=association.framework_id).update(last_change_date_time=timezone.now())
    association.delete()


# --- Reads --------------------------------------------------------------------------------------------------------


def crosswalks_between(*, left: Framework, right: Framework) -> list[ItemAssociation]:
    """Crosswalk links between two frameworks, either way (one query)."""
    return list(
        ItemAssociation.objects.filter(association_type__in=CROSSWALK_TYPES)
        .filter(
            Q(origin__framework=left, destination__framework=right)
            | Q(origin__framework=right, destination__framework=left)
        )
        .select_related("origin__framework", "destination__framework")
        .order_by("origin__framework__code", "origin__path", "destination__path")
    )


def matches_by_item(*, framework: Framework) -> dict[int, list[Match]]:
    """For each item of ``framework``, its crosswalk matches in other frameworks, either way (one query)."""
    links = (
        ItemAssociation.objects.filter(association_type__in=CROSSWALK_TYPES)
        .filter(Q(origin__framework=framework) | Q(destination__framework=framework))
        .exclude(origin__framework=framework, destination__framework=framework)
        .select_related("origin__framework", "destination__framework")
        .order_by("association_type", "destination__framework__code", "destination__path", "origin__path")
    )
    result: dict[int, list[Match]] = defaultdict(list)
    for link in links:
        own, other = (
            (link.origin, link.destination)
            if link.origin.framework_id == framework.pk
            else (
                link.destination,
                link.origin,
            )
        )
        label = AssociationType(link.association_type).label
        result[own.pk].append(Match(association=link, type_label=str(label), item=other, framework=other.framework))
    return dict(result)


def exact_matches(*, item_ids) -> dict[int, set[int]]:
    """The evidence rule: {item pk: pks of the items linked to it by exactMatchOf, either way, one step}."""
    ids = list(item_ids)
    result: dict[int, set[int]] = defaultdict(set)
    pairs = ItemAssociation.objects.filter(association_type=AssociationType.EXACT_MATCH_OF).filter(
        Q(origin_id__in=ids) | Q(destination_id__in=ids)
    )
    wanted = set(ids)
    for origin_id, destination_id in pairs.values_list("origin_id", "destination_id"):
        if origin_id in wanted:
            result[origin_id].add(destination_id)
        if destination_id in wanted:
            result[destination_id].add(origin_id)
    return dict(result)
