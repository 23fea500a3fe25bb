from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .roles import AUTHORITATIVE, ROLE_PERMISSIONS


def ensure_roles(sender=None, using="default", **kwargs) -> None:
    """Create the role groups and grant their permissions, idempotently, after every migrate.

    The platform's own groups get exactly their listed permissions (a permission granted by an earlier version and no
    longer listed is withdrawn); Wagtail's Moderators group keeps its own and gets the listed ones too.

    `post_migrate` is sent once per installed app with models (and again after each flush of a test database):
    the roles are set once, after the last app's, when every app's permissions exist.
    """
    if sender is not None and sender is not _last_app_with_models():
        return
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        query = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        wanted = list(Permission.objects.using(using).filter(query)) if perms else []
        if name in AUTHORITATIVE:
            group.permissions.set(wanted)
        else:
            group.permissions.add(*wanted)


def _last_app_with_models():
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]
