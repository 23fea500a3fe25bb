"""Choosing competency items in forms: a select showing each framework's tree, grouped and indented.

Usage on a page (``courses``)::

    competencies = ParentalManyToManyField("competencies.CompetencyItem", blank=True)
    panels = [FieldPanel("competencies", widget=CompetencyItemSelectMultiple)]

or in a plain form: ``CompetencyItemMultipleChoiceField()``. Choices are read in one query.
"""

from __future__ import annotations

from django import forms

from .models import CompetencyItem


class _TreeOptions:
    def tree_optgroups(self, name, value, attrs=None):
        from .selectors import item_choices

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
