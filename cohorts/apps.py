from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Training sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.roles import COORDINATORS, NATIONAL_ADMINS, grant

        session_perms = [f"cohorts.{action}_trainingsession" for action in ("add", "change", "delete", "view")]
        # Coordinators manage their own académie's sessions (scoped in cohorts.admin_views); national administrators
        # every académie's. Trainers need no model permission: they see the sessions they are named on.
        grant({COORDINATORS: session_perms, NATIONAL_ADMINS: session_perms})
