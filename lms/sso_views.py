"""Log-in through an identity provider (start, callback), its error page, and log-out at the provider."""

import functools
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET

from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge
from mozilla_django_oidc.views import get_next_url

from .forms import EmailAuthenticationForm
from .reauth import mark_password_confirmed
from .security import client_ip, hit_rate_limit
from .sso import (
    SESSION_ID_TOKEN,
    SESSION_PROVIDER,
    SsoBackend,
    SsoError,
    callback_url,
    get_provider,
    logout_url,
    providers,
)

logger = logging.getLogger("lms.sso")

BACKEND_PATH = "lms.sso.SsoBackend"
SESSION_LANGUAGE = "sso_language"
STARTS_PER_MINUTE = 30  # per client address: each start writes a session


@require_GET
def sso_start(request, provider: str):
    """Send the browser to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""
    config = get_provider(provider)
    if config is None:
        raise Http404
    if hit_rate_limit(f"lms:sso-start:{client_ip(request)}", limit=STARTS_PER_MINUTE, window=60):
        return error_page(request, SsoError("rate"), status=429)
    try:
        authorization_endpoint = config.endpoint("authorization_endpoint")
    except SsoError as error:
        return error_page(request, error, provider=config)
    state = get_random_string(32)
    code_verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": callback_url(),
        "scope": config.scopes,
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(code_verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if config.acr_values:
        params["acr_values"] = config.acr_values
    add_state_and_verifier_and_nonce_to_session(request, state, params, code_verifier)
    request.session["oidc_states"][state]["provider"] = config.name
    request.session["oidc_login_next"] = get_next_url(request, "next")
    request.session[SESSION_LANGUAGE] = translation.get_language()
    request.session.modified = True
    return HttpResponseRedirect(f"{authorization_endpoint}?{urlencode(params)}")


@require_GET
def sso_callback(request):
    """The provider sends the browser back here with a code (or an error). Any problem: a clear page, no account.

    The address has no language prefix (one redirect URI for every provider): the page speaks the language the
    log-in started in.
    """
    language = request.session.get(SESSION_LANGUAGE)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return _callback(request)


def _callback(request):
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states") or {}
    entry = states.pop(state, None) if state else None  # used once, whatever happens next
    request.session["oidc_states"] = states
    provider = get_provider(entry.get("provider")) if entry else None
    try:
        if entry is None or provider is None:
            raise SsoError("state", "unknown or already used state")
        issuer = request.GET.get("iss")  # RFC 9207: which provider answered
        if issuer is not None and issuer.rstrip("/") != provider.issuer:
            raise SsoError("issuer", f"response from {issuer!r}")
        if request.GET.get("error"):
            raise SsoError("refused", f"{request.GET.get('error')}: {request.GET.get('error_description', '')}")
        if not request.GET.get("code"):
            raise SsoError("code", "no code")
        user = SsoBackend(provider).authenticate(
            request, code_verifier=entry.get("code_verifier"), nonce=entry.get("nonce")
        )
    except SsoError as error:
        return error_page(request, error, provider=provider)
    id_token = request.session.get(SESSION_ID_TOKEN)
    next_url = request.session.get("oidc_login_next")
    auth.login(request, user, backend=BACKEND_PATH)  # a new session key; the values below go into it
    mark_password_confirmed(request)  # a fresh authentication, for the data-protection actions (privacy.forms)
    request.session[SESSION_PROVIDER] = provider.name
    request.session[SESSION_ID_TOKEN] = id_token
    if next_url:
        return HttpResponseRedirect(next_url)
    with translation.override(user.preferred_language):  # the learner's own language from now on
        return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))


def error_page(request, error: SsoError, *, provider=None, status: int | None = None):
    logger.warning("SSO log-in refused (%s): %s", error.code, error.detail)
    if request.user.is_authenticated and error.code not in {"rate"}:
        auth.logout(request)
    context = {"code": error.code, "provider": provider, "local_login": settings.LOCAL_LOGIN_ENABLED}
    if status is None:
        status = 503 if error.code == "unavailable" else 400
    return render(request, "registration/sso_error.html", context, status=status)


class LoginView(auth_views.LoginView):
    """The e-mail and password form (unless LOCAL_LOGIN_ENABLED is off) and a button per identity provider."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            return HttpResponseNotAllowed(["GET"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = providers()
        context["local_login"] = settings.LOCAL_LOGIN_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    """Django's log-out (POST); a session opened through a provider also ends there (its end_session_endpoint)."""

    def post(self, request, *args, **kwargs):
        provider = get_provider(request.session.get(SESSION_PROVIDER))
        at_provider = logout_url(request, provider) if provider else None
        response = super().post(request, *args, **kwargs)
        if at_provider:
            return HttpResponseRedirect(at_provider)
        return response


def local_accounts_only(view):
    """Sign-up, e-mail confirmation resend and passwords exist only where local log-in does (LOCAL_LOGIN_ENABLED):
    on an SSO-only platform these pages are not found, and their links are not shown (`local_login_enabled`)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
