from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Data protection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import roles

        national = roles.ROLE_PERMISSIONS[roles.NATIONAL_ADMINS]
        if "lms.view_auditentry" not in national:
            national.append("lms.view_auditentry")  # the audit log (privacy.admin_views)
