from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import sheets, views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path(_("resume/"), views.resume, name="resume"),
    path(_("resume/<uuid:course_key>/"), views.resume, name="resume_course"),
    path(_("enrol/<int:page_id>/"), views.enrol, name="enrol"),
    path(_("done/<int:page_id>/"), views.mark_done, name="mark_done"),
    path(_("sheet/<int:page_id>/<str:block_id>/"), sheets.classroom_sheet, name="classroom_sheet"),
]
