from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "xapi"
    default_auto_field = "django.db.models.BigAutoField"
