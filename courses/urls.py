from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("reprendre/", views.resume, name="resume"),
    path("reprendre/<uuid:course_key>/", views.resume, name="resume_course"),
    path("inscription/<int:page_id>/", views.enrol, name="enrol"),
    path("termine/<int:page_id>/", views.mark_done, name="mark_done"),
]
