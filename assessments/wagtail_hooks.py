"""The question bank in the Wagtail admin: a translatable snippet with revisions, filterable by type and
competency; one form per question type (the type is chosen first); a filtered chooser for the quiz editor; Moodle XML
import and export."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

import django_filters

from competencies.models import CompetencyItem

from . import admin_views, permissions
from .admin_forms import QuestionForm
from .admin_views import TrustedSnippetViewSet
from .models import Question, QuestionType


class QuestionFilterSet(WagtailFilterSet):
    question_type = django_filters.ChoiceFilter(label=_("type"), choices=QuestionType.choices)
    competencies = django_filters.ModelChoiceFilter(
        label=_("competency"), queryset=CompetencyItem.objects.select_related("framework").order_by("path")
    )
    difficulty = django_filters.ChoiceFilter(label=_("difficulty"), choices=[(1, "1"), (2, "2"), (3, "3")])

    class Meta:
        model = Question
        fields = ["question_type", "competencies", "difficulty", "owner_academie", "locale"]


class QuestionViewSet(TrustedSnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "question_type", "difficulty", "owner_academie", "locale"]
    list_filter = None
    filterset_class = QuestionFilterSet
    search_fields = ["title", "prompt"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)  # (the per-type forms: admin_views)


register_snippet(QuestionViewSet)


@hooks.register("construct_snippet_action_menu")
def hide_actions_the_policy_refuses(menu_items, request, context):
    """Publish and unpublish appear only on the questions the user may publish (model permission is not enough)."""
    instance = context.get("instance")
    if not isinstance(instance, Question) or instance.pk is None:
        return
    policy = policy_registry.get_by_type(Question)
    if not policy.user_has_permission_for_instance(request.user, permissions.PUBLISH, instance):
        menu_items[:] = [item for item in menu_items if item.name not in ("action-publish", "action-unpublish")]


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
