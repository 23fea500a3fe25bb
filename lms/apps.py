from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import account_data  # noqa: F401 (registers the account's personal data)
        from .signals import ensure_roles

        # Each app's personal_data.py registers what it holds about a person (lms.personal_data), as admin.py does.
        autodiscover_modules("personal_data")

        post_migrate.connect(ensure_roles, dispatch_uid="lms.ensure_roles")


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "lms.viewsets.UserViewSet"
