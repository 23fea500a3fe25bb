"""Académie managers attach people to their académie (a teacher whose address is not an académie one)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import BaseSettingsPanel

from . import selectors, services
from .forms import EmailChangeForm
from .models import Academie, User
from .scoping import scope_for
from .security import normalise_email


def _manager_academie(request) -> Academie | None:
    scope = scope_for(request.user)
    if scope.everything:
        return None
    if not scope.academie_ids:
        raise PermissionDenied
    return request.user.academie


def people_view(request):
    """Search by exact e-mail (sent in a POST body, never in the address) among the people one may attach."""
    academie = _manager_academie(request)
    email = ""
    found = None
    searched = False
    if request.method == "POST" and "user" in request.POST:
        user_id, academie_id = request.POST.get("user", ""), request.POST.get("academie", "")
        target = selectors.attachable_people(by=request.user).filter(pk=user_id).first() if user_id.isdigit() else None
        chosen = academie or (Academie.objects.filter(pk=academie_id).first() if academie_id.isdigit() else None)
        if target is None or chosen is None:
            messages.error(request, _("Choose a person and an académie."))
        else:
            services.set_user_academie(user=target, academie=chosen, by=request.user)
            messages.success(
                request, _("%(email)s is now attached to %(academie)s.") % {"email": target.email, "academie": chosen}
            )
        return redirect("lms_people")
    if request.method == "POST":
        searched = True
        email = normalise_email(request.POST.get("email"))
        found = selectors.find_attachable_person(by=request.user, email=email)
    members = (
        scope_for(request.user).filter(User.objects.filter(is_active=True)).select_related("academie", "establishment")
    )
    return TemplateResponse(
        request,
        "lms/admin_people.html",
        {
            "academie": academie,
            "academies": Academie.objects.all() if academie is None else [],
            "email": email,
            "searched": searched,
            "found": found,
            "members": members.order_by("last_name", "email")[:500],
            "header_title": _("People of my académie"),
        },
    )


@hooks.register("register_admin_urls")
def register_people_url():
    return [path("academie/personnes/", people_view, name="lms_people")]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return not scope_for(request.user).is_empty


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    return PeopleMenuItem(gettext_lazy("People of my académie"), reverse("lms_people"), icon_name="group", order=850)


class LoginEmailSettingsPanel(BaseSettingsPanel):
    """/admin/account/: a new log-in address is confirmed by its owner before it replaces the current one."""

    name = "login_email"
    order = 110
    form_class = EmailChangeForm
    title = gettext_lazy("Log-in e-mail address")

    def get_form(self):
        kwargs = {"instance": self.user, "prefix": self.name, "request": self.request}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)


@hooks.register("register_account_settings_panel")
def register_login_email_panel(request, user, profile):
    return LoginEmailSettingsPanel(request, user, profile)
