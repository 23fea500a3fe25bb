from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .roles import ROLE_PERMISSIONS


def ensure_roles(sender=None, using="default", **kwargs) -> None:
    """Create the role groups and grant their permissions, idempotently, after every migrate."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        if not perms:
            continue
        query = Q()
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.using(using).filter(query))
