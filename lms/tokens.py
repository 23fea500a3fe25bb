from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int

# An unconfirmed sign-up lives 48 hours: its links expire then, and `purge_unconfirmed_accounts` deletes it.
CONFIRMATION_SECONDS = 48 * 60 * 60


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """A sign-up confirmation link: valid 48 hours, for the latest sign-up only, once.

    The hash covers the (unusable) password, which a new sign-up for the same address replaces, so earlier links
    stop working; confirming sets `is_active`, `email_confirmed_at` and a real password, so a link works once.
    """

    key_salt = "lms.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.password}{user.email_confirmed_at}{user.is_active}{timestamp}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        try:
            timestamp = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - timestamp <= CONFIRMATION_SECONDS


email_confirmation_token = EmailConfirmationTokenGenerator()
