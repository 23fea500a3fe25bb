from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CataloguePage, CoursePage
from lms.models import Academie, User
from lms.roles import TRAINERS


class TrainingSessionForm(WagtailAdminModelForm):
    """Courses: the national catalogue's and the coordinator's académie's; trainers: the académie's trainers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        everything = user is not None and (user.is_superuser or user.has_perm("lms.view_national_reports"))
        academie_id = self.instance.academie_id or getattr(user, "academie_id", None)
        courses = CoursePage.objects.filter(locale__language_code="fr").select_related("locale")
        trainers = User.objects.filter(groups__name=TRAINERS, is_active=True)
        if not everything:
            courses = _course_choices(courses, academie_id)
            trainers = trainers.filter(academie_id=academie_id)
        if "course" in self.fields:
            self.fields["course"].queryset = courses.order_by("title")
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = trainers.order_by("last_name", "email").distinct()
            self.fields["trainers"].help_text = _("People with the “Trainer” role in the académie.")
        if "academie" in self.fields:
            if everything:
                self.fields["academie"].queryset = Academie.objects.all()
            else:
                del self.fields["academie"]
        self._scope_user = user
        self._everything = everything

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The session cannot end before it starts."))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        if not self._everything:
            instance.academie_id = getattr(self._scope_user, "academie_id", None)
        if commit:
            instance.save()
            self.save_m2m()
        return instance


def _course_choices(courses, academie_id):
    """National catalogue courses and those of `academie_id`'s catalogue."""
    paths = list(
        CataloguePage.objects.filter(Q(academie__isnull=True) | Q(academie_id=academie_id)).values_list(
            "path", flat=True
        )
    )
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return courses.filter(query)


class ParticipantsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Participants file (CSV)"),
        help_text=_(
            "One line per participant: e-mail; last name; first name; UAI of their establishment. Separated by ; or ,"
            " — UTF-8 or Windows-1252 (a spreadsheet's CSV export). A header line is optional."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
