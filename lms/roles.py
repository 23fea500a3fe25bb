"""The four roles of the platform, as Django groups created by migration."""

from django.utils.translation import gettext_lazy as _

TEACHERS = "Enseignants"
COORDINATORS = "Coordinateurs de formation"
ACADEMY_MANAGERS = "Gestionnaires académiques"
NATIONAL_ADMINS = "Administrateurs nationaux"

ROLE_LABELS = {
    TEACHERS: _("Teacher (learner)"),
    COORDINATORS: _("Training coordinator"),
    ACADEMY_MANAGERS: _("Académie manager"),
    NATIONAL_ADMINS: _("National administrator"),
}

# app_label.codename granted to each group (other apps add theirs in their own migrations).
ROLE_PERMISSIONS = {
    TEACHERS: [],
    # Coordinators translate the pages they may edit (simple_translation checks that too).
    COORDINATORS: ["wagtailadmin.access_admin", "simple_translation.submit_translation"],
    ACADEMY_MANAGERS: ["wagtailadmin.access_admin", "lms.view_academy_reports", "lms.view_establishment"],
    NATIONAL_ADMINS: [
        "wagtailadmin.access_admin",
        "simple_translation.submit_translation",
        "lms.view_academy_reports",
        "lms.view_national_reports",
        "lms.view_establishment",
        "lms.add_establishment",
        "lms.change_establishment",
        "lms.view_user",
        "lms.add_user",
        "lms.change_user",
    ],
}
