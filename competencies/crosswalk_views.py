"""Admin screen for crosswalks: two framework trees side by side, one item picked on each (radio buttons: works
without JavaScript), a type and the supporting source. Thin: the rules are in ``crosswalks``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from . import crosswalks
from .models import AssociationType, CompetencyItem, Framework, ItemAssociation


class PickFrameworksForm(forms.Form):
    left = forms.ModelChoiceField(label=gettext_lazy("Left framework (origin)"), queryset=Framework.objects.all())
    right = forms.ModelChoiceField(
        label=gettext_lazy("Right framework (destination)"), queryset=Framework.objects.all()
    )

    def clean(self):
        data = super().clean()
        if data.get("left") and data.get("left") == data.get("right"):
            raise forms.ValidationError(_("Choose two different frameworks."))
        return data


class TreeRadioField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, obj):
        return f"{'\u2003' * (obj.depth - 1)}{obj.code} {obj.label}".strip()


class CrosswalkForm(forms.Form):
    association_type = forms.ChoiceField(
        label=gettext_lazy("Type of link"),
        choices=[(t.value, t.label) for t in crosswalks.CROSSWALK_TYPES],
        help_text=gettext_lazy("Only “exact match of” carries a learner's evidence from one item to the other."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The public source that supports this link (title, address). Required."),
    )

    def __init__(self, *args, left: Framework, right: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"] = TreeRadioField(
            label=left.title, queryset=CompetencyItem.objects.filter(framework=left).order_by("path"), empty_label=None
        )
        self.fields["destination"] = TreeRadioField(
            label=right.title,
            queryset=CompetencyItem.objects.filter(framework=right).order_by("path"),
            empty_label=None,
        )


@permission_required("competencies.change_framework", raise_exception=True)
def crosswalk_editor(request):
    pick = PickFrameworksForm(request.GET or None)
    context = {"pick": pick, "types": AssociationType}
    if pick.is_bound and pick.is_valid():
        left, right = pick.cleaned_data["left"], pick.cleaned_data["right"]
        form = CrosswalkForm(request.POST or None, left=left, right=right)
        if request.method == "POST" and form.is_valid():
            try:
                crosswalks.add_crosswalk(
                    origin=form.cleaned_data["origin"],
                    destination=form.cleaned_data["destination"],
                    association_type=form.cleaned_data["association_type"],
                    notes=form.cleaned_data["notes"],
                )
            except crosswalks.CrosswalkError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Link added."))
                return redirect(f"{reverse('competencies_admin:crosswalks')}?left={left.pk}&right={right.pk}")
        context.update(left=left, right=right, form=form, links=crosswalks.crosswalks_between(left=left, right=right))
    return render(request, "competencies/admin/crosswalks.html", context)


@require_POST
@permission_required("competencies.change_framework", raise_exception=True)
def crosswalk_delete(request, pk):
    link = get_object_or_404(ItemAssociation, pk=pk, association_type__in=crosswalks.CROSSWALK_TYPES)
    left, right = link.origin.framework_id, link.destination.framework_id
    crosswalks.remove_crosswalk(association=link)
    messages.success(request, _("Link removed."))
    return redirect(f"{reverse('competencies_admin:crosswalks')}?left={left}&right={right}")
