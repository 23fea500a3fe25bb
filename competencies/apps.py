from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "competencies"
    default_auto_field = "django.db.models.BigAutoField"
