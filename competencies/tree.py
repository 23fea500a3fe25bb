"""Writes: editing a framework's tree from the admin (treebeard's API), one item at a time: add, move, reorder,
delete, and the drafts and publication of an item's texts (the trust model: an edit reaches the public page and
learners only once published)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.log_actions import log

from .models import CompetencyItem, Framework, item_identifier
from .selectors import evidence_under

DEFAULT_MAX_DEPTH = 10
POSITIONS = ("first-child", "last-child", "left", "right")
DRAFT_FIELDS = ["code", "item_type", "label_fr", "statement_fr", "label_en", "statement_en"]


class ItemHasEvidence(ValueError):
    """Learners have evidence on the item (or below it): it cannot be deleted."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            ngettext(
                "Learners have %(counter)s piece of evidence on this item or its descendants: it cannot be deleted.",
                "Learners have %(counter)s pieces of evidence on this item or its descendants: it cannot be deleted.",
                count,
            )
            % {"counter": count}
        )


def max_depth() -> int:
    """How many levels a framework may have (aspect → competency → level → … ). treebeard's path column gives the hard
    ceiling (255 characters, 4 per level: 63 levels); the platform's limit is far below it and well above any real
    framework (UNESCO's has 3)."""
    return int(getattr(settings, "COMPETENCIES_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def check_depth(depth: int) -> None:
    if depth > max_depth():
        raise ValueError(
            _("A framework may have at most %(limit)d levels: this item would be at level %(depth)d.")
            % {"limit": max_depth(), "depth": depth}
        )


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
    check_depth(
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
def add_item_draft(
    *, framework: Framework, parent: CompetencyItem | None, position: str = "last-child", user, **fields
) -> CompetencyItem:
    """The admin's new item: placed in the tree, not live (not on the public page) until it is published."""
    item = add_item(framework=framework, parent=parent, position=position, live=False, **fields)
    item.save_revision(user=user, log_action=True)
    return item


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
        check_depth(new_depth + subtree_height)
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


def check_deletable(*, item: CompetencyItem) -> None:
    """Raise ``ItemHasEvidence`` when learners have evidence on the item or one of its descendants."""
    count = evidence_under(item=item)
    if count:
        raise ItemHasEvidence(count)


@transaction.atomic
def delete_item(*, item: CompetencyItem, by) -> None:
    """Delete the item and its subtree (``by``: who, for the log); refused (``ItemHasEvidence``) when learners have
    evidence on any of them. The database holds the same rule (evidence protects its item), should evidence arrive
    meanwhile."""
    check_deletable(item=item)
    log(instance=item, action="wagtail.delete", user=by, deleted=True)
    try:
        item.delete()  # treebeard's: the subtree with it, and the parent's count of children
    except ProtectedError as exc:
        raise ItemHasEvidence(len(exc.protected_objects)) from None


@transaction.atomic
def delete_items(*, item_ids: Collection[int]) -> None:
    """Delete these rows only, not their path-prefix descendants (the importer, which rebuilds the paths and the
    counts of children itself); refused (``ItemHasEvidence``) when learners have evidence on any of them."""
    try:
        # Plain delete (not treebeard's, which would take the path-prefix descendants, possibly moved elsewhere).
        models.QuerySet.delete(CompetencyItem.objects.filter(pk__in=list(item_ids)))
    except ProtectedError as exc:
        raise ItemHasEvidence(len(exc.protected_objects)) from None


@transaction.atomic
def save_item_draft(*, item: CompetencyItem, user) -> None:
    """Keep the edited texts as a draft revision; the live row changes only if the item was never published."""
    item.last_change_date_time = timezone.now()
    if not item.live:  # never published: the row is the draft (its place in the tree is left as it is now)
        item.save(update_fields=[*DRAFT_FIELDS, "last_change_date_time"])
    item.save_revision(user=user, log_action=True)


@transaction.atomic
def save_item_changes(
    *,
    item: CompetencyItem,
    draft: CompetencyItem,
    user,
    parent: CompetencyItem | None = None,
    position: str | None = None,
    move: bool = False,
) -> None:
    """The admin's edit form as one change: the edited texts (``draft``, a draft revision) and, when ``move``, the
    move of the live ``item`` under ``parent`` (applies at once). A refused move (ValueError) saves nothing."""
    save_item_draft(item=draft, user=user)
    if move:
        move_item(item=item, parent=parent, position=position or "last-child")


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
