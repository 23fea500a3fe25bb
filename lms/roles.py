"""The roles of the platform, as Django groups created by migration (`lms.signals.ensure_roles`).

Who may do what is summed up in docs/permissions.md. In short: national content (the national catalogue, national
questions, competency frameworks) is edited by the national editors only; each académie's coordinators edit their own
académie's catalogue (a group per académie, `courses.permissions.academy_group_name`) and questions, and may only
*propose* a change to national content (a draft submitted for moderation, never published by them); Wagtail's
"Moderators" group reviews and publishes.
"""

from django.utils.translation import gettext_lazy as _

TEACHERS = "Enseignants"
COORDINATORS = "Coordinateurs de formation"
ACADEMY_MANAGERS = "Gestionnaires académiques"
NATIONAL_ADMINS = "Administrateurs nationaux"
NATIONAL_EDITORS = "Éditeurs nationaux"
TRAINERS = "Formateurs"  # follow the training sessions they are named on (cohorts app)
# Wagtail's own group (created by its migrations): the reviewers of the default "Moderators approval" workflow.
MODERATORS = "Moderators"

ROLE_LABELS = {
    TEACHERS: _("Teacher (learner)"),
    COORDINATORS: _("Training coordinator"),
    ACADEMY_MANAGERS: _("Académie manager"),
    NATIONAL_ADMINS: _("National administrator"),
    NATIONAL_EDITORS: _("National editor"),
    TRAINERS: _("Trainer"),
    MODERATORS: _("Moderator"),
}

# app_label.codename granted to each group (other apps add theirs in their AppConfig.ready()). For the platform's own
# groups the list is the whole truth: a permission not listed is removed at the next migrate. Wagtail's Moderators
# group keeps what Wagtail gave it and receives these in addition (see AUTHORITATIVE).
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
    NATIONAL_EDITORS: ["wagtailadmin.access_admin", "simple_translation.submit_translation"],
    MODERATORS: ["wagtailadmin.access_admin"],
    # No model permission: a trainer sees only the sessions they are named on (cohorts.selectors.sessions_for_trainer).
    TRAINERS: [],
}
AUTHORITATIVE = {TEACHERS, COORDINATORS, ACADEMY_MANAGERS, NATIONAL_ADMINS, NATIONAL_EDITORS, TRAINERS}


def grant(roles_and_permissions: dict[str, list[str]]) -> None:
    """Add permissions to roles (called from the apps' `ready()`)."""
    for role, perms in roles_and_permissions.items():
        current = ROLE_PERMISSIONS.setdefault(role, [])
        current.extend(p for p in perms if p not in current)
