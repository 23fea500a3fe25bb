from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "reports"
urlpatterns = [
    path(_("course/<uuid:course_key>/"), views.attestation_download, name="attestation"),
    path(_("verify/"), views.verify, name="verify"),
    path(_("verify/<str:code>/"), views.verify, name="verify_code"),
]
