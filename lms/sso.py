"""Single sign-on with OpenID Connect (authorization code flow with PKCE and nonce), on mozilla-django-oidc.

The library does the protocol's work (state, nonce and PKCE in the session, code exchange, ID token signature against
the provider's keys, user info); this module chooses the provider, checks what the library leaves to its user (the
issuer, the audience, the expiry, the `iss` response parameter of RFC 9207), maps the claims to an account and to the
organisation, and turns each failure into a reason shown on a clear page (`SsoError.code`). docs/sso.md describes it.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import Academie, Establishment, SsoIdentity
from .security import normalise_email
from .services import academie_for_email
from .uai import normalise_uai, validate_uai

logger = logging.getLogger("lms.sso")
User = get_user_model()

DISCOVERY_SECONDS = 3600
HTTP_TIMEOUT = 10
SESSION_PROVIDER = "sso_provider"  # the provider of the current log-in (for log-out at the provider)
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key, not a secret; stored by the library (OIDC_STORE_ID_TOKEN): the logout's id_token_hint


class SsoError(Exception):
    """A refused log-in. `code` chooses the explanation on the error page (lms/templates: registration/sso_error)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str
    trust_email: bool
    academie_claim: str
    uai_claim: str
    given_name_claim: str
    family_name_claim: str
    sign_algo: str
    token_auth: str
    endpoints: dict

    def endpoint(self, name: str) -> str:
        """An endpoint: from the settings when given there, otherwise from the discovery document."""
        if name in self.endpoints:
            return self.endpoints[name]
        return discovery(self).get(name) or ""


def providers() -> list[Provider]:
    return [Provider(**config) for config in settings.OIDC_PROVIDERS.values()]


def get_provider(name: str | None) -> Provider | None:
    config = settings.OIDC_PROVIDERS.get(name or "")
    return Provider(**config) if config else None


def discovery(provider: Provider) -> dict:
    """The provider's `/.well-known/openid-configuration`, cached an hour; its issuer must be the configured one."""
    key = f"lms:oidc-discovery:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SsoError("unavailable", f"discovery of {provider.issuer}: {error}") from error
        if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
            raise SsoError("issuer", f"discovery names issuer {document.get('issuer')!r}, not {provider.issuer!r}")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def callback_url() -> str:
    """The redirect URI registered at every provider: fixed, outside the language prefixes."""
    return settings.PLATFORM_BASE_URL + reverse("sso_callback")


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured by one provider rather than by global settings.

    Listed in AUTHENTICATION_BACKENDS only so that a session opened through a provider finds its user again
    (`get_user`); `authenticate()` does nothing unless called by the callback view with a provider.
    """

    def __init__(self, provider: Provider | None = None) -> None:
        self.provider = provider
        self.UserModel = User
        if provider is not None:
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = provider.sign_algo
            self.OIDC_RP_IDP_SIGN_KEY = None
            self.OIDC_OP_TOKEN_ENDPOINT = provider.endpoint("token_endpoint")
            self.OIDC_OP_USER_ENDPOINT = provider.endpoint("userinfo_endpoint")
            self.OIDC_OP_JWKS_ENDPOINT = provider.endpoint("jwks_uri")

    def get_settings(self, attr, *args):  # the library's settings, per provider
        values = {
            "OIDC_RP_SCOPES": self.provider.scopes if self.provider else "openid email",
            "OIDC_TOKEN_USE_BASIC_AUTH": bool(self.provider and self.provider.token_auth == "basic"),  # noqa: S105
            "OIDC_STORE_ID_TOKEN": True,
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_USE_NONCE": True,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": HTTP_TIMEOUT,
            "OIDC_PROXY": None,
        }
        if attr in values:
            return values[attr]
        if args:
            return args[0]
        raise AttributeError(attr)

    def authenticate(self, request, code_verifier=None, nonce=None, **kwargs):
        if self.provider is None or request is None:
            return None  # a password log-in: not for this backend
        self.request = request
        code = request.GET.get("code", "")
        try:
            tokens = self.get_token(
                {
                    "client_id": self.provider.client_id,
                    "client_secret": self.provider.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": callback_url(),
                    "code_verifier": code_verifier,
                }
            )
        except requests.HTTPError as error:  # invalid_grant: a wrong, expired or already used code
            raise SsoError("code", str(error)) from error
        except requests.RequestException as error:
            raise SsoError("unavailable", str(error)) from error
        id_token = tokens.get("id_token")
        if not id_token:
            raise SsoError("token", "no id_token in the token response")
        payload = self.checked_id_token(id_token, nonce=nonce)
        self.store_tokens(tokens.get("access_token"), id_token)
        try:
            info = (
                self.get_userinfo(tokens.get("access_token"), id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
            )
        except (requests.RequestException, SuspiciousOperation, jwt.InvalidTokenError) as error:
            raise SsoError("unavailable", f"userinfo: {error}") from error
        if info.get("sub") not in (None, payload["sub"]):
            raise SsoError("token", "userinfo is about another subject")
        claims = {**payload, **info}
        return sign_in(provider=self.provider, claims=claims, language=getattr(request, "LANGUAGE_CODE", "fr"))

    def checked_id_token(self, id_token: str, *, nonce: str | None) -> dict:
        try:
            payload = self.verify_token(id_token, nonce=nonce)  # signature (provider's keys), expiry, nonce
        except SuspiciousOperation as error:
            raise SsoError("nonce" if "Nonce" in str(error) else "token", str(error)) from error
        except (jwt.InvalidTokenError, requests.RequestException) as error:
            raise SsoError("token", str(error)) from error
        if str(payload.get("iss", "")).rstrip("/") != self.provider.issuer:
            raise SsoError("issuer", f"ID token from {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise SsoError("token", f"ID token for {audience!r}")
        if not payload.get("sub"):
            raise SsoError("token", "ID token without subject")
        return payload

    def get_user(self, user_id):
        user = User._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


# --- Claims → account and organisation ---


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    return str(value).strip() if value not in (None, "") else ""


def email_from_claims(provider: Provider, claims: dict) -> str:
    """The e-mail address, which must be confirmed: by the `email_verified` claim or by trusting the provider."""
    email = normalise_email(_claim(claims, "email"))
    if not email or "@" not in email:
        raise SsoError("email", "no e-mail claim")
    if not (provider.trust_email or claims.get("email_verified") is True):
        raise SsoError("unverified", f"{email} not verified by {provider.name}")
    return email


def can_link(user) -> bool:
    """An SSO identity may join an existing account only when the address was confirmed on the platform, or when
    the account was pre-created and never used (no usable password, never logged in): never an account someone
    could have registered with another person's address and a password of their own."""
    if user.email_confirmed_at is not None:
        return True
    return not user.has_usable_password() and user.last_login is None


def organisation_from_claims(provider: Provider, claims: dict, email: str) -> tuple[Academie | None, str, object]:
    """(académie, source, establishment) from trusted claims only: the provider's académie claim, a UAI checked
    with its check letter, or the explicit académie ↔ e-mail domain list. Never from anything the person typed."""
    academie, source = None, ""
    code = _claim(claims, provider.academie_claim)
    if code:
        academie = Academie.objects.filter(code=code.zfill(2)).first()
        if academie is None:
            logger.warning("SSO %s: unknown académie code %r in claim %s", provider.name, code, provider.academie_claim)
        else:
            source = User.AcademieSource.SSO
    establishment = None
    uai = normalise_uai(_claim(claims, provider.uai_claim))
    if uai:
        try:
            validate_uai(uai)
        except Exception:  # ValidationError: a wrong check letter
            logger.warning("SSO %s: invalid UAI %r", provider.name, uai)
        else:
            establishment = Establishment.objects.filter(uai=uai).select_related("academie").first()
    if academie is None:
        academie = academie_for_email(email)
        source = User.AcademieSource.EMAIL if academie else ""
    if academie is None and establishment is not None:
        academie, source = establishment.academie, User.AcademieSource.SSO
    if establishment is not None and establishment.academie_id != academie.pk:
        logger.warning("SSO %s: UAI %s is not in académie %s", provider.name, establishment.uai, academie.code)
        establishment = None
    return academie, source, establishment


@transaction.atomic
def sign_in(*, provider: Provider, claims: dict, language: str = "fr"):
    """The account for these claims: the linked one, an existing one that may be linked, or a new one."""
    subject = _claim(claims, "sub")
    identity = SsoIdentity.objects.select_for_update().filter(issuer=provider.issuer, subject=subject).first()
    if identity is not None:
        user = User.objects.select_for_update().get(pk=identity.user_id)
    else:
        email = email_from_claims(provider, claims)
        user = User.objects.select_for_update().filter(email=email).first()
        if user is not None and not can_link(user):
            raise SsoError("conflict", f"{email}: unconfirmed account with a password")
        if user is None:
            user = User(email=email, preferred_language=language if language in ("fr", "en") else "fr")
            user.set_unusable_password()
        identity = SsoIdentity(user=user, provider=provider.name, issuer=provider.issuer, subject=subject)
    if user.pk and not user.is_active and user.email_confirmed_at is not None:
        raise SsoError("inactive", f"account {user.pk} deactivated")
    given = _claim(claims, provider.given_name_claim)
    family = _claim(claims, provider.family_name_claim)
    if given:
        user.first_name = given[:150]
    if family:
        user.last_name = family[:150]
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()  # the provider confirmed the address (email_from_claims)
    user.is_active = True
    if user.academie_source != User.AcademieSource.MANAGER:
        # The account's own address (confirmed), never an address the provider has not vouched for.
        academie, source, establishment = organisation_from_claims(provider, claims, user.email)
        if academie is not None:
            user.academie, user.academie_source = academie, source
            if establishment is not None:
                user.establishment = establishment
            elif user.establishment_id and user.establishment.academie_id != academie.pk:
                user.establishment = None
    user.save()
    identity.user = user
    identity.last_login_at = timezone.now()
    identity.save()
    return user


# --- Log-out at the provider ---


def logout_url(request, provider: Provider) -> str | None:
    """The provider's end_session_endpoint for this session (RP-initiated log-out), or None."""
    try:
        endpoint = provider.endpoint("end_session_endpoint")
    except SsoError:
        return None
    id_token = request.session.get(SESSION_ID_TOKEN)
    if not endpoint or not id_token:
        return None
    params = {
        "id_token_hint": id_token,
        "client_id": provider.client_id,
        "post_logout_redirect_uri": settings.PLATFORM_BASE_URL + "/",
        "state": str(int(time.time())),
    }
    return f"{endpoint}?{urlencode(params)}"
