from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from lms import roles

        from . import permissions
        from .models import Question

        register_permission_policy(Question, permissions.QuestionPermissionPolicy(Question))

        # Model-level permissions; `assessments.permissions.QuestionPermissionPolicy` narrows them per question
        # (national questions to national editors, an académie's to its coordinators).
        roles.grant(permissions.ROLE_QUESTION_PERMISSIONS)
