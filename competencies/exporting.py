"""Reads: a framework as the formats' shared in-memory representation, and as a file in any format."""

from __future__ import annotations

from django.db.models import F

from .formats import AssociationData, FrameworkData, ItemData, get_format
from .models import LANGUAGE_CODES, CompetencyItem, Framework, ItemAssociation, PendingAssociation
from .selectors import framework_items


def framework_data(*, framework: Framework, with_items: bool = True) -> FrameworkData:
    """The shared in-memory representation of a framework, for any export format: three queries (none without
    items: the document alone)."""
    items = list(framework_items(framework=framework)) if with_items else []
    by_path = {item.path: item for item in items}
    steplen = CompetencyItem.steplen
    data = FrameworkData(
        identifier=str(framework.identifier),
        code=framework.code,
        titles={lang: getattr(framework, f"title_{lang}") for lang in LANGUAGE_CODES},
        descriptions={lang: getattr(framework, f"description_{lang}") for lang in LANGUAGE_CODES},
        uri=framework.get_uri(),
        creator=framework.creator,
        publisher=framework.publisher,
        edition=framework.edition,
        source_url=framework.source_url,
        licence=framework.licence,
        licence_uri=framework.licence_uri,
        adoption_status=framework.adoption_status,
        notes=framework.notes,
        subjects=list(framework.subjects or []),
        last_change=framework.last_change_date_time,
        extra=dict(framework.extra or {}),
    )
    for item in items:
        parent = by_path.get(item.path[:-steplen])
        data.items.append(
            ItemData(
                identifier=str(item.identifier),
                code=item.code,
                item_type=item.item_type,
                labels={lang: getattr(item, f"label_{lang}") for lang in LANGUAGE_CODES},
                statements={lang: getattr(item, f"statement_{lang}") for lang in LANGUAGE_CODES},
                parent=str(parent.identifier) if parent else None,
                uri=item.get_uri(),
                last_change=item.last_change_date_time,
                extra=dict(item.extra or {}),
                parent_link=(item.extra or {}).get("case_link", ""),
            )
        )
    if not with_items:
        return data
    associations = (
        ItemAssociation.objects.filter(framework=framework)
        .select_related("origin", "destination__framework")
        .order_by("origin__path", F("sequence_number").asc(nulls_last=True), "identifier")
    )
    for assoc in associations:
        destination = assoc.destination
        data.associations.append(
            AssociationData(
                identifier=str(assoc.identifier),
                association_type=assoc.association_type,
                origin=str(assoc.origin.identifier),
                destination=str(destination.identifier),
                sequence_number=assoc.sequence_number,
                last_change=assoc.last_change_date_time,
                destination_title=destination.code or destination.label_fr,
                destination_uri=destination.get_uri(),
                notes=assoc.notes,
                extra=dict(assoc.extra or {}),
            )
        )
    pending = PendingAssociation.objects.filter(framework=framework).select_related("origin")
    for link in pending.order_by("origin__path", F("sequence_number").asc(nulls_last=True), "identifier"):
        data.associations.append(
            AssociationData(
                identifier=str(link.identifier),
                association_type=link.association_type,
                origin=str(link.origin.identifier),
                destination=str(link.destination_identifier),
                sequence_number=link.sequence_number,
                last_change=link.last_change_date_time,
                destination_title=link.destination_title,
                destination_uri=link.destination_uri,
                notes=link.notes,
                extra=dict(link.extra or {}),
            )
        )
    return data


def export_framework(*, framework: Framework, format_name: str, language: str | None = None) -> bytes:
    return get_format(format_name).dump(framework_data(framework=framework), language=language)
