from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "cohorts"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path(_("<int:pk>/reminders/"), views.send_reminders, name="remind"),
    path(_("<int:pk>/attendance/<int:date_pk>/"), views.attendance, name="attendance"),
]
