"""The question bank's admin screens: per-type create and edit (the type is chosen first), preview, the question
chooser of the quiz editor (filtered by competency, type and tag), Moodle XML import (upload → preview → confirm)
and export.

Every view is narrowed per question by `assessments.permissions.QuestionPermissionPolicy`: Wagtail's generic snippet
views check model-level permissions only; every view that acts on one question goes through `guard`, which refuses
(403) an action the policy does not allow on that question, and the listing, the chooser and the edit view's actions
(publish, lock, unlock, delete) show only what is allowed.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail.admin.forms.choosers import BaseFilterForm, LocaleFilterMixin
from wagtail.admin.utils import set_query_params
from wagtail.admin.views.generic import CopyViewMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from competencies.models import CompetencyItem
from competencies.widgets import CompetencyItemSelect

from . import bank_import, moodle_xml, moodle_xml_writer, selectors
from . import permissions as perms
from .admin_forms import DESCRIPTIONS, edit_handler_for, valid_kind
from .admin_slots import slot_count
from .models import QuestionType

# The question-level action each URL of the viewset needs (anything else acting on one question needs "view").
URL_ACTIONS = {
    "edit": perms.CHANGE,
    "revisions_revert": perms.CHANGE,
    "delete": perms.DELETE,
    "lock": perms.LOCK,
    "unlock": perms.UNLOCK,
    "unpublish": perms.PUBLISH,
    "revisions_unschedule": perms.PUBLISH,
}


def guard(view, *, model, action: str):
    """Wrap a view taking the question's `pk`: 403 unless the policy allows `action` on that question."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        instance = get_object_or_404(model, pk=unquote(str(kwargs["pk"])))
        policy = policy_registry.get_by_type(model)
        allowed = policy.user_has_permission_for_instance(request.user, action, instance)
        # A reviewer of the question's current workflow task may open it (Wagtail's own rule for workflows).
        if not allowed and action == perms.CHANGE and getattr(instance, "current_workflow_task", None):
            allowed = instance.current_workflow_task.user_can_access_editor(instance, request.user)
        if not allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class InstanceActionsMixin:
    """Edit view: publish, lock, unlock and delete shown and accepted only where the policy allows them."""

    def _instance_allows(self, permission: str) -> bool:
        instance = getattr(self, "live_object", None) or getattr(self, "object", None)
        if instance is None or instance.pk is None or permission not in perms.ALL_ACTIONS:
            return True
        return self.permission_policy.user_has_permission_for_instance(self.request.user, permission, instance)

    def user_has_permission(self, permission):
        return self._instance_allows(permission) and super().user_has_permission(permission)

    def get_available_actions(self):
        actions = super().get_available_actions()
        if "publish" in actions and not self._instance_allows(perms.PUBLISH):
            actions = [a for a in actions if a != "publish"]
        return actions

    @property
    def can_delete(self):
        return self._instance_allows(perms.DELETE) and super().can_delete


IMPORT_DIR = "assessments/imports"
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class QuestionIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(perms.visible_to(self.request.user))

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm("assessments.add_question"):
            buttons.append(
                HeaderButton(_("Import from Moodle XML"), url=reverse("assessments_admin:import"), icon_name="upload")
            )
        buttons.append(
            HeaderButton(_("Export to Moodle XML"), url=reverse("assessments_admin:export"), icon_name="download")
        )
        return buttons


# --- create and edit, one form per type ------------------------------------------------------------------------------


class QuestionCreateView(snippet_views.CreateView):
    """`add/?type=single`: the form of that type. Without a (valid) type: the list of types to choose from.
    The copy view is this view with the original question's type and values.

    A new question belongs to its author's académie (a coordinator) or is national (a national editor)."""

    def get_kind(self) -> str | None:
        return valid_kind(self.request.GET.get("type"))

    def get_panel(self):
        kind = self.get_kind()
        return edit_handler_for(kind, slot_count(kind, None)) if kind else super().get_panel()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.owner_for_new_question(request.user)[1]:
            raise PermissionDenied
        if not self.get_kind():
            return self.choose_type(request)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        self.form.instance.owner_academie_id = perms.owner_for_new_question(self.request.user)[0]
        return super().save_instance()

    def choose_type(self, request):
        if not self.user_has_permission("add"):
            raise Http404
        locale = request.GET.get("locale", "")
        types = [
            {
                "label": label,
                "description": DESCRIPTIONS[value],
                "url": f"{request.path}?{urlencode({'type': value, **({'locale': locale} if locale else {})})}",
            }
            for value, label in QuestionType.choices
        ]
        return TemplateResponse(request, "assessments/admin/choose_type.html", {"types": types})

    def get_form_class(self):
        return self.panel.get_form_class()

    def get_add_url(self):
        return set_query_params(super().get_add_url(), {"type": self.get_kind()})


class QuestionCopyView(CopyViewMixin, QuestionCreateView):
    """The form of the original question's type, prefilled with it, posting to the add view of that type (a new
    question, owned as any new one). A POST here would save into the original question (the form's instance), so it
    is refused: copying never changes the original."""

    http_method_names = ["get", "head", "options"]

    @cached_property
    def original(self):
        return self.get_object()

    def get_kind(self) -> str | None:
        return valid_kind(self.original.question_type)

    def get_panel(self):
        kind = self.get_kind()
        return edit_handler_for(kind, slot_count(kind, self.original))


class QuestionEditView(InstanceActionsMixin, snippet_views.EditView):
    def get_panel(self):
        question = getattr(self, "object", None) or self.get_object()
        kind = question.question_type
        return edit_handler_for(kind, slot_count(kind, question))

    def get_form_class(self):
        return self.panel.get_form_class()


class _TypedPreview:
    def get_form(self, query_dict):
        kind = valid_kind(query_dict.get("question_kind")) or getattr(self.object, "question_type", "")
        if not valid_kind(kind):
            raise Http404
        form_class = edit_handler_for(kind, slot_count(kind, self.object)).get_form_class()
        if not query_dict:
            return form_class(instance=self.object, for_user=self.request.user)
        return form_class(query_dict, instance=self.object, for_user=self.request.user)


class QuestionPreviewOnCreateView(_TypedPreview, snippet_views.PreviewOnCreateView):
    pass


class QuestionPreviewOnEditView(_TypedPreview, snippet_views.PreviewOnEditView):
    pass


# --- the question chooser of the quiz editor ----------------------------------------------------------------------


class QuestionFilterForm(LocaleFilterMixin, BaseFilterForm):
    """The quiz editor's question chooser: words, type, competency, tag and language."""

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Words of the title or of the question."))
    question_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("All types")), *QuestionType.choices],
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )
    competency = forms.ModelChoiceField(
        label=_("Competency"),
        queryset=CompetencyItem.objects.all(),
        widget=CompetencyItemSelect(attrs={"data-chooser-modal-search-filter": True}),
        required=False,
    )
    tag = forms.CharField(label=_("Tag"), required=False)

    def filter(self, objects):
        data = self.cleaned_data
        if data.get("q", "").strip():
            words = data["q"].strip()
            self.is_searching, self.search_query = True, words
            objects = objects.filter(Q(title__icontains=words) | Q(prompt__icontains=words))
        if data.get("question_type"):
            objects = objects.filter(question_type=data["question_type"])
        if data.get("competency"):
            objects = objects.filter(competencies=data["competency"]).distinct()
        if data.get("tag", "").strip():
            objects = objects.filter(tags__icontains=data["tag"].strip())
        return super().filter(objects)


class _QuestionChooseMixin:
    filter_form_class = QuestionFilterForm
    per_page = 20

    def get_object_list(self):
        return super().get_object_list().filter(perms.visible_to(self.request.user)).order_by("title", "pk")


class QuestionChooseView(_QuestionChooseMixin, snippet_chooser.ChooseView):
    pass


class QuestionChooseResultsView(_QuestionChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class QuestionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    choose_one_text = _("Choose a question from the bank")
    choose_another_text = _("Choose another question")


# --- Moodle XML import and export ----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Moodle XML file"), help_text=_("A question export from Moodle or M@gistère (.xml).")
    )
    language = forms.ChoiceField(label=_("Language of the questions"), choices=[("fr", "Français"), ("en", "English")])


class ConfirmImportForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=[("fr", "fr"), ("en", "en")], widget=forms.HiddenInput)


class ExportForm(forms.Form):
    question_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *QuestionType.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All")), ("fr", "Français"), ("en", "English")], required=False
    )
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=CompetencyItem.objects.all(), widget=CompetencyItemSelect, required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False)


@permission_required("assessments.add_question", raise_exception=True)
def import_upload(request):
    """Step 1: upload; the file is checked (dry run) and a preview lists what will be imported and what cannot be."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is too large (limit %(limit)d bytes).") % {"limit": MAX_IMPORT_BYTES})
            return render(request, "assessments/admin/import.html", context)
        data = upload.read()
        language = form.cleaned_data["language"]
        try:
            report = bank_import.import_moodle_questions(
                data=data, locale=Locale.objects.get(language_code=language), user=request.user, dry_run=True
            )
        except moodle_xml.MoodleXMLError as exc:
            context["errors"] = exc.errors
            return render(request, "assessments/admin/import.html", context)
        token = uuid.uuid4().hex
        default_storage.save(f"{IMPORT_DIR}/{token}", ContentFile(data))
        context.update(report=report, confirm=ConfirmImportForm(initial={"token": token, "language": language}))
    return render(request, "assessments/admin/import.html", context)


@require_POST
@permission_required("assessments.add_question", raise_exception=True)
def import_confirm(request):
    """Step 2: the same file, imported for real (checked again: the bank may have changed meanwhile)."""
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        raise Http404
    name = f"{IMPORT_DIR}/{form.cleaned_data['token']}"
    if not default_storage.exists(name):
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("assessments_admin:import")
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    try:
        report = bank_import.import_moodle_questions(
            data=data, locale=Locale.objects.get(language_code=form.cleaned_data["language"]), user=request.user
        )
    except moodle_xml.MoodleXMLError as exc:
        return render(request, "assessments/admin/import.html", {"form": ImportForm(), "errors": exc.errors})
    finally:
        default_storage.delete(name)
    messages.success(request, report.summary())
    return redirect(reverse("wagtailsnippets_assessments_question:list"))


@permission_required("assessments.view_question", raise_exception=True)
def export(request):
    """The export form; with `download=1`, the Moodle XML file of the questions matching the filters."""
    form = ExportForm(request.GET or None)
    if request.GET.get("download") and form.is_valid():
        questions = selectors.bank_questions(
            question_type=form.cleaned_data["question_type"],
            language=form.cleaned_data["language"],
            competency=form.cleaned_data["competency"],
            tag=form.cleaned_data["tag"],
        )
        response = HttpResponse(moodle_xml_writer.dump(questions), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="questions-moodle.xml"'
        return response
    return render(request, "assessments/admin/export.html", {"form": form})


class TrustedSnippetViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose per-object views all go through the model's permission policy."""

    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    copy_view_class = QuestionCopyView
    edit_view_class = QuestionEditView
    preview_on_add_view_class = QuestionPreviewOnCreateView
    preview_on_edit_view_class = QuestionPreviewOnEditView
    chooser_viewset_class = QuestionChooserViewSet
    inspect_view_enabled = True

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "<" in str(pattern.pattern) and "pk>" in str(pattern.pattern):
                action = URL_ACTIONS.get(pattern.name, perms.VIEW)
                pattern.callback = guard(pattern.callback, model=self.model, action=action)
        return patterns
