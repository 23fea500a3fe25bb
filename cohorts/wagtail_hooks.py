from django.urls import path

from wagtail import hooks

from .admin_views import participants_view, training_session_viewset


@hooks.register("register_admin_viewset")
def register_training_sessions():
    return training_session_viewset


@hooks.register("register_admin_urls")
def register_participants_url():
    return [path("training-sessions/<int:pk>/participants/", participants_view, name="cohorts_participants")]
