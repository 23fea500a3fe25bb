from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="index"),
    path("<slug:code>/", views.framework_detail, name="framework"),
]
