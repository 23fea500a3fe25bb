from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

COORDINATOR_PERMISSIONS = [
    "competencies.view_framework",
    "competencies.add_framework",
    "competencies.change_framework",
    "competencies.view_competencyitem",
    "competencies.add_competencyitem",
    "competencies.change_competencyitem",
    "competencies.delete_competencyitem",
]


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competency frameworks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Training coordinators manage the frameworks (granted by lms' post_migrate role sync).
        from lms import roles

        perms = roles.ROLE_PERMISSIONS[roles.COORDINATORS]
        perms.extend(p for p in COORDINATOR_PERMISSIONS if p not in perms)
        for group in (roles.ACADEMY_MANAGERS, roles.NATIONAL_ADMINS):
            if "competencies.view_framework" not in roles.ROLE_PERMISSIONS[group]:
                roles.ROLE_PERMISSIONS[group].append("competencies.view_framework")
