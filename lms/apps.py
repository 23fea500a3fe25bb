from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .signals import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="lms.ensure_roles")


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "lms.viewsets.UserViewSet"
