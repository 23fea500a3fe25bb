"""Who may author what (Wagtail page permissions; docs/permissions.md has the whole table).

- The national catalogue (FR and EN) belongs to the national editors: they add, change, publish, lock and unlock.
- Each académie's catalogue belongs to the group of that académie's coordinators (`academy_group_name`): they add,
  change, lock and unlock there; publishing goes through the moderation workflow (submit → review → publish),
  reviewed by Wagtail's "Moderators" group.
- Coordinators (the generic group) hold only `change_page` on the national catalogue: they may *propose* a change (a
  draft submitted for moderation, never live before a moderator or a national editor publishes it); they cannot add,
  publish, lock, unlock, move or delete a national page.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from lms.roles import COORDINATORS, MODERATORS, NATIONAL_EDITORS

from .models import CataloguePage

COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
NATIONAL_EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
PROPOSAL_PAGE_PERMISSIONS = ("change_page",)
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def grant_media(group: Group) -> None:
    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codename in MEDIA_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def grant_subtree(group: Group, pages, codenames=COORDINATOR_PAGE_PERMISSIONS) -> None:
    """Give the group exactly these permissions on each page's subtree (others it held there are withdrawn)."""
    permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    for page in pages:
        GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=permissions).delete()
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_national(pages) -> None:
    """The national catalogue: the national editors own it; coordinators may only propose changes."""
    editors, _ = Group.objects.get_or_create(name=NATIONAL_EDITORS)
    grant_subtree(editors, pages, NATIONAL_EDITOR_PAGE_PERMISSIONS)
    grant_media(editors)
    coordinators = Group.objects.get(name=COORDINATORS)
    grant_subtree(coordinators, pages, PROPOSAL_PAGE_PERMISSIONS)
    grant_media(coordinators)


def grant_coordinator_media(sender=None, **kwargs) -> None:
    group = Group.objects.filter(name=COORDINATORS).first()
    if group is not None and Permission.objects.filter(content_type__app_label="wagtailimages").exists():
        grant_media(group)


def academy_group_name(academie) -> str:
    return f"{COORDINATORS} — {academie.name}"


def sync_academy_groups(user) -> None:
    """A coordinator belongs to their académie's coordinators group, and to no other académie's: one who moves
    académie, or stops being a coordinator, loses the old catalogue at once; one made coordinator after
    `setup_academy` gets theirs (when the académie is set up)."""
    if getattr(user, "_syncing_academy_groups", False) or user.pk is None:
        return
    user._syncing_academy_groups = True
    try:
        names = set(user.groups.values_list("name", flat=True))
        wanted = None
        if user.academie_id is not None and COORDINATORS in names:
            wanted = academy_group_name(user.academie)
        prefix = f"{COORDINATORS} — "
        stale = [name for name in names if name.startswith(prefix) and name != wanted]
        if stale:
            user.groups.remove(*Group.objects.filter(name__in=stale))
        if wanted is not None and wanted not in names:
            group = Group.objects.filter(name=wanted).first()
            if group is not None:
                user.groups.add(group)
    finally:
        user._syncing_academy_groups = False


def national_catalogue_pages() -> list[Page]:
    return list(CataloguePage.objects.filter(academie__isnull=True))


def hidden_drafts_for(user) -> Q | None:
    """Pages a user must not even see the title of: the unpublished pages of the other académies' catalogues.

    None when nothing is hidden (superusers and moderators, who review every académie's work).
    """
    if user.is_superuser or user.groups.filter(name=MODERATORS).exists():
        return None
    other_catalogues = (
        CataloguePage.objects.filter(academie__isnull=False)
        .exclude(academie_id=getattr(user, "academie_id", None))
        .values_list("path", flat=True)
    )
    subtrees = Q(pk__in=[])
    for path in other_catalogues:
        subtrees |= Q(path__startswith=path)
    return subtrees & Q(live=False)
