from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

from .models import Establishment, User

ORG_FIELDS = ("academie", "establishment")


class AdminUserCreationForm(WagtailUserCreationForm):
    class Meta(WagtailUserCreationForm.Meta):
        fields = WagtailUserCreationForm.Meta.fields | set(ORG_FIELDS)


class AdminUserEditForm(WagtailUserEditForm):
    class Meta(WagtailUserEditForm.Meta):
        fields = WagtailUserEditForm.Meta.fields | set(ORG_FIELDS)

    def save(self, commit=True):
        user = super().save(commit=False)
        if "academie" in self.changed_data:
            user.academie_source = User.AcademieSource.MANAGER if user.academie_id else User.AcademieSource.NONE
        if commit:
            user.save()
            self.save_m2m()
        return user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}
        help_texts = {
            "email": _(
                "Use your professional address (for example prenom.nom@ac-toulouse.fr): "
                "it is what links you to your académie."
            )
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account already uses this address. Log in or reset your password."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "establishment", "preferred_language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        qs = Establishment.objects.none()
        if user.academie_id:
            qs = Establishment.objects.filter(academie_id=user.academie_id).order_by("commune", "name")
        self.fields["establishment"].queryset = qs
        self.fields["establishment"].help_text = (
            _("Establishments of your académie, by commune.")
            if user.academie_id
            else _("Your académie is not known yet: confirm a professional address or ask your académie manager.")
        )
        if not user.academie_id:
            self.fields["establishment"].disabled = True
