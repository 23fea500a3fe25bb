from django.urls import path, reverse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from .admin_views import audit_viewset, can_process_requests, erase_view, is_erased, refusal, refuse_bulk_delete


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return audit_viewset


@hooks.register("register_admin_urls")
def register_erase_url():
    return [path("privacy/erase/<int:user_id>/", erase_view, name="privacy_erase")]


@hooks.register("register_user_listing_buttons")
def erase_button(user, request_user):
    if can_process_requests(request_user) and not is_erased(user) and not refusal(actor=request_user, target=user):
        yield ListingButton(_("Erase (data request)"), reverse("privacy_erase", args=[user.pk]), priority=90)


hooks.register("before_bulk_action", refuse_bulk_delete)
