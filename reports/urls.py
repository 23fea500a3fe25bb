from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("cours/<uuid:course_key>/", views.attestation_download, name="attestation"),
    path("verifier/", views.verify, name="verify"),
    path("verifier/<str:code>/", views.verify, name="verify_code"),
]
