"""The question bank in the Wagtail admin: a translatable snippet with revisions, filterable by type and
competency; one form per question type (the type is chosen first); a filtered chooser for the quiz editor; Moodle XML
import and export."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

import django_filters

from competencies.models import CompetencyItem

from . import admin_views
from .models import Question, QuestionType


class QuestionFilterSet(WagtailFilterSet):
    question_type = django_filters.ChoiceFilter(label=_("type"), choices=QuestionType.choices)
    competencies = django_filters.ModelChoiceFilter(
        label=_("competency"), queryset=CompetencyItem.objects.select_related("framework").order_by("path")
    )
    difficulty = django_filters.ChoiceFilter(label=_("difficulty"), choices=[(1, "1"), (2, "2"), (3, "3")])

    class Meta:
        model = Question
        fields = ["question_type", "competencies", "difficulty", "locale"]


class QuestionIndexView(IndexView):
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


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "question_type", "difficulty", "locale"]
    list_filter = None
    filterset_class = QuestionFilterSet
    search_fields = ["title", "prompt"]
    index_view_class = QuestionIndexView
    add_view_class = admin_views.QuestionCreateView
    edit_view_class = admin_views.QuestionEditView
    preview_on_add_view_class = admin_views.QuestionPreviewOnCreateView
    preview_on_edit_view_class = admin_views.QuestionPreviewOnEditView
    chooser_viewset_class = admin_views.QuestionChooserViewSet


register_snippet(QuestionViewSet)

admin_urls = (
    [
        path("import/", admin_views.import_upload, name="import"),
        path("import/confirm/", admin_views.import_confirm, name="import_confirm"),
        path("export/", admin_views.export, name="export"),
    ],
    "assessments_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("questions/", include(admin_urls, namespace="assessments_admin"))]
