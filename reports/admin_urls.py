from django.urls import path

from lms.db_router import reads_from_replica

from . import views

# The reports and their exports read from the replica when DATABASE_REPLICA_URL is set (lms/db_router.py): a few
# seconds' lag is acceptable there. Job pages read the job just created: they stay on the primary.
app_name = "reports_admin"
urlpatterns = [
    path("completions/", reads_from_replica(views.completion_report), name="completions"),
    path("completions/export/", reads_from_replica(views.completion_export), name="completions_export"),
    path("dashboard/", reads_from_replica(views.dashboard_view), name="dashboard"),
    path("dashboard/export/", reads_from_replica(views.dashboard_export), name="dashboard_export"),
    path("ai-literacy/", reads_from_replica(views.ai_literacy), name="ai_literacy"),
    path("ai-literacy/export/", reads_from_replica(views.ai_literacy_export), name="ai_literacy_export"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
]
