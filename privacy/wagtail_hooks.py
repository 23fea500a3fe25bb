from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from lms.models import User

from . import services
from .forms import PasswordConfirmForm
from .models import AuditEntry


class AuditViewSet(ModelViewSet):
    """The audit log, read-only, for national administrators (model permission privacy.view_auditentry)."""

    model = AuditEntry
    icon = "history"
    menu_label = gettext_lazy("Personal data audit log")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    list_filter = ["action"]
    list_display = [DateColumn("at"), "actor_label", "action", "subject_id", "row_count", Column("detail")]
    form_fields = ["action"]

    def get_urlpatterns(self):
        # Read-only: an audit log is never added to, edited or deleted by hand.
        keep = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if getattr(pattern, "name", None) in keep]

    def get_index_view_kwargs(self, **kwargs):
        # No "Add" button (a superuser has every permission, and there is no add URL to link to).
        return {**super().get_index_view_kwargs(**kwargs), "add_url_name": None}


audit_viewset = AuditViewSet("privacy_audit")


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return audit_viewset


def can_process_requests(user) -> bool:
    return user.is_superuser or user.has_perm("lms.view_national_reports")


def erase_view(request, user_id: int):
    """An administrator processes a learner's erasure request (as Moodle's data requests are)."""
    if not can_process_requests(request.user):
        raise PermissionDenied
    target = get_object_or_404(User, pk=user_id)
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_user(user=target, by=request.user)
        messages.success(request, _("The account has been erased."))
        return redirect("wagtailusers_users:index")
    return TemplateResponse(request, "privacy/admin_erase.html", {"target": target, "form": form})


@hooks.register("register_admin_urls")
def register_erase_url():
    return [path("privacy/erase/<int:user_id>/", erase_view, name="privacy_erase")]


@hooks.register("register_user_listing_buttons")
def erase_button(user, request_user):
    if can_process_requests(request_user) and user.pk != request_user.pk and user.is_active:
        yield ListingButton(_("Erase (data request)"), reverse("privacy_erase", args=[user.pk]), priority=90)
