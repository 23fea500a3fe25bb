from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = ["competencies.view_framework", "competencies.view_competencyitem"]
EDIT = [
    "competencies.add_framework",
    "competencies.change_framework",
    "competencies.add_competencyitem",
    "competencies.change_competencyitem",
    "competencies.delete_competencyitem",
]
PUBLISH = ["competencies.publish_competencyitem"]


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competency frameworks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Frameworks are national content: the national editors edit them; an edit of an item is a draft until a
        # national editor or a moderator publishes it (see competencies.admin_views). Coordinators only read them.
        from lms import roles

        roles.grant(
            {
                roles.COORDINATORS: VIEW,
                roles.ACADEMY_MANAGERS: ["competencies.view_framework"],
                roles.NATIONAL_ADMINS: ["competencies.view_framework"],
                roles.NATIONAL_EDITORS: VIEW + EDIT + PUBLISH,
                roles.MODERATORS: VIEW + PUBLISH,
            }
        )
