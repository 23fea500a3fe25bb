"""Sensitive actions (report exports, data requests) ask for the password again when it was not confirmed recently.

The confirmation page itself is `privacy:confirm_password` (reached by its URL name).
"""

import time
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "privacy_password_confirmed_at"  # its first name, so that confirmations made before the move hold


def recent_seconds() -> float:
    """How long a password confirmation stays valid (setting PRIVACY_REAUTH_SECONDS, 15 minutes by default)."""
    return float(getattr(settings, "PRIVACY_REAUTH_SECONDS", 15 * 60))


def mark_password_confirmed(request) -> None:
    request.session[SESSION_KEY] = time.time()


def password_recently_confirmed(request) -> bool:
    return time.time() - request.session.get(SESSION_KEY, 0) < recent_seconds()


def ask_for_password(request):
    """None when the password was confirmed recently; otherwise the redirect to confirm it, then come back."""
    if password_recently_confirmed(request):
        return None
    return redirect(f"{reverse('privacy:confirm_password')}?{urlencode({'next': request.get_full_path()})}")


def recent_password_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return ask_for_password(request) or view(request, *args, **kwargs)

    return wrapper
