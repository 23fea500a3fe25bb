from django.apps import AppConfig


class BenchPagesConfig(AppConfig):
    """The benchmark's baseline page type. Installed only by bench/settings.py (never in the platform itself)."""

    name = "bench.benchpages"
    label = "benchpages"
    default_auto_field = "django.db.models.BigAutoField"
