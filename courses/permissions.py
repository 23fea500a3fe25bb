"""Who may author what: coordinators edit their catalogue's subtree only (Wagtail page permissions)."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from lms.roles import COORDINATORS

# Coordinators add and change pages; publishing goes through the moderation workflow (submit → review → publish),
# reviewed by the Wagtail "Moderators" group.
COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
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


def grant_subtree(group: Group, pages) -> None:
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=COORDINATOR_PAGE_PERMISSIONS
    )
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_coordinator_media(sender=None, **kwargs) -> None:
    group = Group.objects.filter(name=COORDINATORS).first()
    if group is not None and Permission.objects.filter(content_type__app_label="wagtailimages").exists():
        grant_media(group)


def academy_group_name(academie) -> str:
    return f"{COORDINATORS} — {academie.name}"


def national_catalogue_pages() -> list[Page]:
    from .models import CataloguePage

    return list(CataloguePage.objects.filter(academie__isnull=True))
