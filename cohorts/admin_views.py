"""The coordinators' screens: training sessions of their académie (a Wagtail ModelViewSet scoped by académie) and
the bulk enrolment of participants (upload → preview → confirm, without JavaScript)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from lms.services import decode_text

from . import selectors, services
from .forms import ParticipantsUploadForm, TrainingSessionForm
from .models import TrainingSession


class _Scoped:
    """Every view that reads one session checks it is one the person manages (their académie's)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not selectors.managed_sessions(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.managed_sessions(self.request.user).select_related("course")


class EditView(_Scoped, generic.EditView):
    pass


class DeleteView(_Scoped, generic.DeleteView):
    pass


class HistoryView(_Scoped, history.HistoryView):
    pass


class UsageView(_Scoped, usage.UsageView):
    pass


def _participants_link(session: TrainingSession):
    return format_html(
        '<a href="{}">{}</a>', reverse("cohorts_participants", args=[session.pk]), _("Participants and enrolment")
    )


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "group"
    menu_label = gettext_lazy("Training sessions")
    add_to_admin_menu = True
    menu_order = 860
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView
    list_display = [
        "title",
        "course",
        DateColumn("starts_on", label=gettext_lazy("Starts on")),
        "format",
        Column("participants", accessor=_participants_link),
    ]
    search_fields = ["title", "gaia_dispositif", "gaia_module", "gaia_session"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("academie"),
            FieldPanel("course", widget=forms.Select),
            FieldRowPanel(
                [FieldPanel("gaia_dispositif"), FieldPanel("gaia_module"), FieldPanel("gaia_session")],
                heading=gettext_lazy("GAIA identifier"),
            ),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=gettext_lazy("Dates")),
            FieldPanel("format"),
            FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [InlinePanel("in_person_dates", label=gettext_lazy("In-person date"))],
                heading=gettext_lazy("In-person dates (hybrid sessions)"),
            ),
        ],
        base_form_class=TrainingSessionForm,
    )


training_session_viewset = TrainingSessionViewSet("training_sessions")


def participants_view(request, pk: int):
    """Upload a CSV, see what it would do, confirm: all lines or none. The confirm step re-checks the same text."""
    session = get_object_or_404(selectors.managed_sessions(request.user).select_related("course", "academie"), pk=pk)
    form = ParticipantsUploadForm()
    plan = None
    text = ""
    if request.method == "POST" and request.POST.get("confirm") and request.POST.get("text"):
        text = request.POST["text"]
        plan = services.enrol_participants(session=session, raw=text.encode("utf-8"), by=request.user)
        if plan.applied:
            messages.success(
                request,
                " ".join(
                    [
                        ngettext("%(n)d account created,", "%(n)d accounts created,", len(plan.created))
                        % {"n": len(plan.created)},
                        ngettext(
                            "%(n)d existing account matched: all enrolled in the session.",
                            "%(n)d existing accounts matched: all enrolled in the session.",
                            len(plan.matched),
                        )
                        % {"n": len(plan.matched)},
                    ]
                ),
            )
            return redirect("cohorts_participants", pk=session.pk)
        messages.error(request, _("Nothing was imported: the file has changed meaning since the preview."))
    elif request.method == "POST":
        form = ParticipantsUploadForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            plan = services.plan_enrolment(session=session, raw=raw)
            try:
                text = decode_text(raw)
            except ValidationError:  # the plan already says why the file cannot be read
                text = ""
    members = session.memberships.select_related("user", "user__establishment").order_by(
        "user__last_name", "user__email"
    )
    return TemplateResponse(
        request,
        "cohorts/admin_participants.html",
        {
            "session": session,
            "form": form,
            "plan": plan,
            "text": text,
            "members": members,
            "header_title": _("Participants of %(title)s") % {"title": session.title},
            "page_title": _("Participants of %(title)s") % {"title": session.title},
            "edit_url": reverse("training_sessions:edit", args=[session.pk]),
        },
    )
