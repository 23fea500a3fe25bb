from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordConfirmForm(forms.Form):
    """Sensitive actions ask for the password again."""

    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), strip=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class EraseForm(PasswordConfirmForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be erased and that this cannot be undone."), required=True
    )
