from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from lms.reauth import password_recently_confirmed


class PasswordConfirmForm(forms.Form):
    """Sensitive actions ask for the password again.

    The check goes through `authenticate()`, so django-axes counts every wrong password here exactly as on the
    log-in page (same normalised address, same client address): after AXES_FAILURE_LIMIT failures the account is
    locked for this client, here and at log-in alike.
    """

    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), strip=False
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        # Someone who logs in only through an identity provider has no password: their log-in there (lms.sso_views
        # marks it) stands for the confirmation for the same few minutes; after that, they log in there again.
        self.log_in_again = False
        if not user.has_usable_password():
            del self.fields["password"]
            self.log_in_again = not password_recently_confirmed(request)

    def clean(self):
        cleaned = super().clean()
        if self.log_in_again:
            raise forms.ValidationError(
                _("Your account has no password: log out, then log in again through your identity provider.")
            )
        return cleaned

    def clean_password(self):
        password = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(_("This is not your password."))
        return password


class EraseForm(PasswordConfirmForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be erased and that this cannot be undone."), required=True
    )
