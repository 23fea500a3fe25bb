"""The question bank in the Wagtail admin: a translatable snippet with revisions, filterable by type and
competency."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from competencies.models import CompetencyItem

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


register_snippet(QuestionViewSet)
