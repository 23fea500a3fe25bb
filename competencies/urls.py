from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="index"),
    path(_("my-profile/"), views.my_profile, name="profile"),
    path("<slug:code>/", views.framework_detail, name="framework"),
]
