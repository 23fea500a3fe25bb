from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

from . import services
from .models import Establishment, User
from .security import normalise_email

ORG_FIELDS = ("academie", "establishment")


class _AdminUserFormMixin:
    """Only a superuser grants, sees or removes "superuser": the field is absent for everyone else, and the value
    stored before the edit is kept whatever the request carries."""

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        self._was_superuser = bool(self.instance.pk and self.instance.is_superuser)
        if not (acting_user is not None and acting_user.is_superuser):
            self.fields.pop("is_superuser", None)

    def _keep_superuser_flag(self, user: User) -> None:
        if not (self.acting_user is not None and self.acting_user.is_superuser):
            user.is_superuser = self._was_superuser


class AdminUserCreationForm(_AdminUserFormMixin, WagtailUserCreationForm):
    class Meta(WagtailUserCreationForm.Meta):
        fields = WagtailUserCreationForm.Meta.fields | set(ORG_FIELDS)

    def save(self, commit=True):
        user = super().save(commit=False)
        self._keep_superuser_flag(user)
        if commit:
            user.save()
            self.save_m2m()
        return user


class AdminUserEditForm(_AdminUserFormMixin, WagtailUserEditForm):
    class Meta(WagtailUserEditForm.Meta):
        fields = WagtailUserEditForm.Meta.fields | set(ORG_FIELDS)

    def save(self, commit=True):
        user = super().save(commit=False)
        self._keep_superuser_flag(user)
        if "academie" in self.changed_data:
            user.academie_source = User.AcademieSource.MANAGER if user.academie_id else User.AcademieSource.NONE
        if "email" in self.changed_data:
            # The new address has not been proven by its owner.
            user.email_confirmed_at = None
        if commit:
            user.save()
            self.save_m2m()
        return user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self):
        # The one normalised form, as django-axes counts failures on it (lms.security.axes_username).
        return normalise_email(self.cleaned_data.get("username"))


class SignupForm(forms.Form):
    """A sign-up asks no password: whoever confirms from the mailbox chooses it. It never says whether the
    address already has an account (that is told by e-mail to the address only)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Use your professional address (for example prenom.nom@ac-toulouse.fr): "
            "it is what links you to your académie."
        ),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class ConfirmSignupForm(SetPasswordForm):
    """Confirming the address is also choosing the password (and checking the name): nothing typed at sign-up by
    someone else stands."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.order_fields(self.field_order)


class EmailChangeForm(forms.ModelForm):
    """The log-in address in the administration's account settings: a change waits for the new address's owner."""

    new_email = forms.EmailField(
        label=_("Log-in e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("A new address takes effect only once you open the link we send to it (valid 48 hours)."),
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["new_email"].initial = self.instance.email

    def clean_new_email(self):
        return normalise_email(self.cleaned_data["new_email"])

    def save(self, commit=True):
        new_email = self.cleaned_data["new_email"]
        if services.request_email_change(user=self.instance, new_email=new_email) and self.request is not None:
            messages.info(
                self.request,
                _("We have sent a confirmation link to %(email)s: your address changes once you open it.")
                % {"email": new_email},
            )
        return self.instance


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
