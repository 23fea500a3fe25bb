"""Choosing competency items in forms. In the admin: `CompetencyItemsChooserWidget` (the chosen items as ticked
checkboxes, untick to remove, no JavaScript needed; “Add competencies” opens the chooser of `choosers.py`, with
search, tree path, code and label). In plain forms: a select showing each framework's tree, grouped and indented.

Usage on a page (``courses``)::

    competencies = ParentalManyToManyField("competencies.CompetencyItem", blank=True)
    panels = [FieldPanel("competencies", widget=CompetencyItemSelectMultiple)]

or in a plain form: ``CompetencyItemMultipleChoiceField()``. Choices are read in one query.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from wagtail.admin.staticfiles import versioned_static

from .models import CompetencyItem
from .selectors import item_choices


class _TreeOptions:
    def tree_optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value if v not in (None, "")}
        groups = []
        index = 0
        if not self.allow_multiple_selected and not self.is_required:
            groups.append((None, [self.create_option(name, "", "—", not selected, index, attrs=attrs)], index))
            index += 1
        for group_name, options in item_choices():
            subgroup = []
            for pk, label in options:
                subgroup.append(
                    self.create_option(name, pk, label, str(pk) in selected, index, subindex=None, attrs=attrs)
                )
                index += 1
            groups.append((group_name, subgroup, index))
        return groups


class CompetencyItemSelect(_TreeOptions, forms.Select):
    def optgroups(self, name, value, attrs=None):
        return self.tree_optgroups(name, value, attrs)


class CompetencyItemSelectMultiple(_TreeOptions, forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"size": 12, **(attrs or {})}, choices)

    def optgroups(self, name, value, attrs=None):
        return self.tree_optgroups(name, value, attrs)


class CompetencyItemMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = CompetencyItemSelectMultiple

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else CompetencyItem.objects.all(), **kwargs)


class CompetencyItemChoiceField(forms.ModelChoiceField):
    widget = CompetencyItemSelect

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else CompetencyItem.objects.all(), **kwargs)


def tree_paths(items) -> dict[int, str]:
    """Item pk -> “Framework › ancestor › … › code label”, for items of any frameworks (one query)."""
    items = list(items)
    steps = CompetencyItem.steplen
    prefixes = {item.path[:n] for item in items for n in range(steps, len(item.path), steps)}
    ancestors = {a.path: a for a in CompetencyItem.objects.filter(path__in=prefixes)} if prefixes else {}
    result = {}
    for item in items:
        parts = [item.framework.title]
        parts += [str(ancestors[p]) for n in range(steps, len(item.path), steps) if (p := item.path[:n]) in ancestors]
        parts.append(str(item))
        result[item.pk] = " › ".join(parts)
    return result


class CompetencyItemsChooserWidget(forms.SelectMultiple):
    """Many competency items: the chosen ones as ticked checkboxes, and a button opening the chooser."""

    template_name = "competencies/widgets/competency_chooser.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pks = [int(v) for v in (value or []) if str(v).isdigit()]
        items = list(CompetencyItem.objects.select_related("framework").filter(pk__in=pks).order_by("path"))
        paths = tree_paths(items)
        context["chosen"] = [(item.pk, paths[item.pk]) for item in items]
        context["chooser_url"] = reverse("competency_chooser:choose")
        return context

    def format_value(self, value):
        return [str(v.pk if hasattr(v, "pk") else v) for v in (value or []) if v not in (None, "")]

    @property
    def media(self):
        return forms.Media(
            js=[
                versioned_static("wagtailadmin/js/modal-workflow.js"),
                versioned_static("wagtailadmin/js/chooser-modal.js"),
                "competencies/js/competency-chooser.js",
            ]
        )
