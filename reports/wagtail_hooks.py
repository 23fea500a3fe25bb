"""Admin: the completion report, the dashboard and the AI-literacy record, under one "Reports" menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.scoping import scope_for

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("academy-reports/", include(admin_urls, namespace="reports_admin"))]


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return not scope_for(request.user).is_empty


@hooks.register("register_reports_menu_item")
def completions_menu_item():
    return ScopedMenuItem(_("Course completions"), reverse("reports_admin:completions"), icon_name="list-ul", order=10)


@hooks.register("register_reports_menu_item")
def dashboard_menu_item():
    return ScopedMenuItem(_("Training dashboard"), reverse("reports_admin:dashboard"), icon_name="table", order=11)


@hooks.register("register_reports_menu_item")
def ai_literacy_menu_item():
    return ScopedMenuItem(_("AI-literacy record"), reverse("reports_admin:ai_literacy"), icon_name="doc-full", order=12)
