from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import VIEW_PERMISSION, OutboxView, retry_view


@hooks.register("register_admin_urls")
def register_xapi_urls():
    return [
        path("xapi/outbox/", OutboxView.as_view(), name="xapi_outbox"),
        path("xapi/outbox/retry/", retry_view, name="xapi_outbox_retry"),
    ]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_xapi_menu_item():
    return OutboxMenuItem(_("Learning records (xAPI)"), reverse("xapi_outbox"), icon_name="resubmit", order=900)
