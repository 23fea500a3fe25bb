from django.urls import path

from . import views

app_name = "reports_admin"
urlpatterns = [
    path("completions/", views.completion_report, name="completions"),
    path("completions/export/", views.completion_export, name="completions_export"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("ai-literacy/", views.ai_literacy, name="ai_literacy"),
    path("ai-literacy/export/", views.ai_literacy_export, name="ai_literacy_export"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
]
