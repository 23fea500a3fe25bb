"""Choosing competency items in the admin: a Wagtail chooser (modal with search, the framework tree path, the code
and the label), registered in `wagtail_hooks.py`; `widgets.CompetencyItemsChooserWidget` opens it from forms.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import CompetencyItem, Framework
from .widgets import tree_paths


class CompetencyFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Code or words of the label."))
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.all(), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(code__istartswith=query)
                | Q(label_fr__icontains=query)
                | Q(label_en__icontains=query)
                | Q(statement_fr__icontains=query)
                | Q(statement_en__icontains=query)
            )
        if self.cleaned_data.get("framework"):
            objects = objects.filter(framework=self.cleaned_data["framework"])
        return objects


class _TreeColumns:
    filter_form_class = CompetencyFilterForm
    per_page = 50

    def get_object_list(self):
        return CompetencyItem.objects.select_related("framework").order_by("framework__code", "path")

    def get_results_page(self, request):
        page = super().get_results_page(request)
        paths = tree_paths(page.object_list)
        for item in page.object_list:
            item.tree_path = paths[item.pk]
        return page

    @property
    def columns(self):
        if self.is_multiple_choice:
            title = TitleColumn("label", label=_("Label"), accessor="label", label_prefix="chooser-modal-select")
            return [self.checkbox_column, Column("code", label=_("Code")), title, Column("tree_path", label=_("Path"))]
        title = TitleColumn(
            "label",
            label=_("Label"),
            accessor="label",
            get_url=lambda obj: self.append_preserved_url_parameters(reverse(self.chosen_url_name, args=(obj.pk,))),
            link_attrs={"data-chooser-modal-choice": True},
        )
        return [Column("code", label=_("Code")), title, Column("tree_path", label=_("Path"))]

    def get_display_title(self, instance):
        return tree_paths([instance])[instance.pk]


class CompetencyChooseView(_TreeColumns, ChooseView):
    pass


class CompetencyChooseResultsView(_TreeColumns, ChooseResultsView):
    pass


class CompetencyChooserViewSet(ChooserViewSet):
    model = CompetencyItem
    icon = "list-ul"
    choose_one_text = _("Choose a competency")
    choose_another_text = _("Choose another competency")
    page_title = _("Choose competencies")
    choose_view_class = CompetencyChooseView
    choose_results_view_class = CompetencyChooseResultsView
    url_prefix = "competency-chooser"

    def get_object_list(self):
        return CompetencyItem.objects.select_related("framework")

    @property
    def chosen_view(self):
        view_class = type(
            "CompetencyChosenView", (self.chosen_view_class,), {"get_display_title": _TreeColumns.get_display_title}
        )
        return self.construct_view(view_class)

    @property
    def chosen_multiple_view(self):
        view_class = type(
            "CompetencyChosenMultipleView",
            (self.chosen_multiple_view_class,),
            {"get_display_title": _TreeColumns.get_display_title},
        )
        return self.construct_view(view_class)


competency_chooser_viewset = CompetencyChooserViewSet("competency_chooser")
