from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

QUESTION_BANK_PERMISSIONS = [
    "assessments.add_question",
    "assessments.change_question",
    "assessments.delete_question",
    "assessments.view_question",
]


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import roles

        # Training coordinators and national administrators author the question bank.
        for role in (roles.COORDINATORS, roles.NATIONAL_ADMINS):
            perms = roles.ROLE_PERMISSIONS.setdefault(role, [])
            perms.extend(p for p in QUESTION_BANK_PERMISSIONS if p not in perms)
