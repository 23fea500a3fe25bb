from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals
        from .permissions import grant_coordinator_media

        post_migrate.connect(grant_coordinator_media, sender=self, dispatch_uid="courses.coordinator_media")
        del signals
