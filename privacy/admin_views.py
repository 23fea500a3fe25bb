"""Administration screens for national administrators: the audit log (read-only) and processing an erasure request.

Erasure replaces Wagtail's hard delete for every account but superusers' (``erasure_replaces_delete``): deleting a
learner's row would break the figures that still count them and leave their LRS records linkable; erasing keeps
an anonymous shell (``privacy.erasure.erase_user``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.audit import AuditEntry
from lms.models import User
from lms.personal_data import erasure_replaces_delete
from lms.roles import NATIONAL_ADMINS

from .erasure import erase_user
from .forms import PasswordConfirmForm

# --- The audit log ------------------------------------------------------------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing needs the model's view permission; nobody, not even a superuser, adds, edits or deletes entries."""

    READ_ACTIONS = {"view"}

    def user_has_permission(self, user, action):
        return action in self.READ_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a in self.READ_ACTIONS]
        return super().users_with_any_permission(actions) if actions else User.objects.none()


class AuditViewSet(ModelViewSet):
    """The audit log, read-only, for national administrators (model permission lms.view_auditentry)."""

    model = AuditEntry
    icon = "history"
    menu_label = gettext_lazy("Personal data audit log")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["action"]
    list_display = [DateColumn("at"), "actor_label", "action", "subject_id", "row_count", Column("detail")]
    form_fields = ["action"]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views exist: no link may point to them.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        keep = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if getattr(pattern, "name", None) in keep]


register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))
audit_viewset = AuditViewSet("privacy_audit")


# --- Erasure requests ---------------------------------------------------------------------------------------------


def can_process_requests(user) -> bool:
    return user.is_superuser or user.has_perm("lms.view_national_reports")


def is_administrator(user) -> bool:
    return user.is_superuser or user.groups.filter(name=NATIONAL_ADMINS).exists()


def is_erased(user) -> bool:
    return not user.is_active and user.email.startswith("efface-") and user.email.endswith("@invalid")


def refusal(*, actor, target) -> str:
    """Why ``actor`` may not erase ``target`` here, or "" when they may."""
    if target.pk == actor.pk:
        return _("You cannot erase your own account here: use “Delete my account” on your profile page.")
    if target.is_superuser:
        return _(
            "This account is a superuser: it cannot be erased. A superuser first removes its superuser status "
            "(Users → edit), then the account can be erased."
        )
    if is_administrator(target) and not actor.is_superuser:
        return _("This account is a national administrator's: only a superuser may erase it.")
    if is_erased(target):
        return _("This account has already been erased.")
    return ""


class EraseAccountForm(PasswordConfirmForm):
    """The administrator types the person's e-mail address (so that the right account is erased) and their own
    password (an irreversible act asks for it again)."""

    confirm_email = forms.CharField(
        label=gettext_lazy("Type the person's e-mail address to confirm"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
    field_order = ["confirm_email", "password"]

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["password"].label = gettext_lazy("Your own password")

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.casefold() != self.target.email.casefold():
            raise forms.ValidationError(
                _("This is not the e-mail address of the account to erase (%(email)s).") % {"email": self.target.email}
            )
        return typed


def erase_view(request, user_id: int):
    """An administrator processes a person's erasure request (as Moodle's data requests are)."""
    if not can_process_requests(request.user):
        raise PermissionDenied
    target = get_object_or_404(User.objects.select_related("academie", "establishment"), pk=user_id)
    context = {
        "target": target,
        "target_name": target.get_full_name(),
        "roles": [g.name for g in target.groups.all()],
        "enrolments": target.enrolments.count() if hasattr(target, "enrolments") else None,
    }
    if reason := refusal(actor=request.user, target=target):
        return TemplateResponse(request, "privacy/admin_erase.html", {**context, "refused": reason}, status=403)
    form = EraseAccountForm(request.POST or None, user=request.user, request=request, target=target)
    if request.method == "POST" and form.is_valid():
        label = target.get_full_name() or target.email
        erase_user(user=target, by=request.user)
        messages.success(request, _("The account of %(who)s has been erased.") % {"who": label})
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request, "privacy/admin_erase.html", {**context, "form": form}, status=400 if form.errors else 200
    )


def refuse_bulk_delete(request, action_type, objects, action):
    """``before_bulk_action``: the users listing's bulk delete is refused for anyone erasure replaces it for."""
    if action_type != "delete" or getattr(action, "model", None) is not User:
        return None
    replaced = [user for user in objects if erasure_replaces_delete(user)]
    if not replaced:
        return None
    messages.error(
        request,
        _(
            "Accounts are not deleted here: use “Erase (data request)” on each account, which removes the person's "
            "identity and keeps the figures right."
        ),
    )
    return redirect("wagtailusers_users:index")
