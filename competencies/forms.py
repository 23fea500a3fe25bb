from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import FORMATS
from .models import CompetencyItem, Framework, ItemType

POSITION_CHOICES = [("last-child", _("Last, after its siblings")), ("first-child", _("First, before its siblings"))]


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "code", "title_fr", "title_en", "description_fr", "description_en", "creator", "publisher", "edition",
            "source_url", "licence", "licence_uri", "adoption_status", "notes",
        ]  # fmt: skip


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'\u2003' * (obj.depth - 1)}{obj.code} {obj.label}".strip()


class ItemForm(forms.ModelForm):
    """An item with its parent (chooser over the framework's tree, empty = top level) and position."""

    parent = ParentChoiceField(
        label=_("Parent"),
        queryset=CompetencyItem.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        help_text=_("Where the item sits in the tree. An item cannot go under itself or its descendants."),
    )
    position = forms.ChoiceField(label=_("Position"), choices=POSITION_CHOICES, initial="last-child")

    class Meta:
        model = CompetencyItem
        fields = ["code", "item_type", "label_fr", "statement_fr", "label_en", "statement_en"]
        widgets = {
            "statement_fr": forms.Textarea(attrs={"rows": 3}),
            "statement_en": forms.Textarea(attrs={"rows": 3}),
            "item_type": forms.TextInput(attrs={"list": "item-types"}),
        }

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["item_type"].help_text = _("For example: %(types)s.") % {"types": ", ".join(ItemType.values)}
        qs = CompetencyItem.objects.filter(framework=framework).order_by("path")
        if self.instance.pk:
            qs = qs.exclude(path__startswith=self.instance.path)
            self.initial.setdefault("parent", self._current_parent_pk())
            self.fields["position"].required = False
            self.fields["position"].choices = [("", _("Unchanged")), *POSITION_CHOICES]
            self.initial.setdefault("position", "")
        self.fields["parent"].queryset = qs

    def _current_parent_pk(self):
        if self.instance.depth <= 1:
            return None
        parent = self.instance.get_parent()
        return parent.pk if parent else None

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code:
            clash = CompetencyItem.objects.filter(framework=self.framework, code=code).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("Another item of this framework already has the code “%(code)s”."), params={"code": code}
                )
        return code

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("label_fr", "label_en", "statement_fr", "statement_en")):
            raise forms.ValidationError(_("Give the item a label or a statement, in French or in English."))
        return cleaned

    def parent_changed(self) -> bool:
        new = self.cleaned_data.get("parent")
        return (new.pk if new else None) != self._current_parent_pk()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A CASE JSON package or a Moodle competency framework CSV."))
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("Guess from the file")), *[(k, k) for k in FORMATS]], required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the texts"),
        choices=[("", _("As the file says (French by default)")), ("fr", "Français"), ("en", "English")],
        required=False,
    )


class ConfirmImportForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    format = forms.CharField(widget=forms.HiddenInput, required=False)
    language = forms.CharField(widget=forms.HiddenInput, required=False)
