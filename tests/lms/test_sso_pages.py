"""Single sign-on pages (no provider needed): the log-in page, local log-in turned off, the start and the callback's
clear error pages; data protection for accounts that log in through a provider."""

from django.urls import reverse
from django.utils import timezone, translation

import pytest

from lms.models import SsoIdentity, User
from lms.sso import sign_in
from tests.lms.sso_support import claims, make_provider

# --- Pages ---


@pytest.fixture
def configured(db, settings):
    """One provider whose endpoints are given (no discovery, no network)."""
    endpoints = {
        "authorization_endpoint": "https://idp.example.org/authorize",
        "token_endpoint": "https://idp.example.org/token",
        "jwks_uri": "https://idp.example.org/jwks",
        "end_session_endpoint": "https://idp.example.org/session/end",
    }
    settings.OIDC_PROVIDERS = {"test": {**make_provider().__dict__, "label": "ProConnect", "endpoints": endpoints}}
    return settings


def test_log_in_page_offers_each_provider(client, configured):
    page = client.get(reverse("login")).content.decode()
    assert "Se connecter avec ProConnect" in page
    assert 'name="password"' in page  # local log-in stays on by default


def test_local_log_in_can_be_turned_off(client, configured, make_user):
    configured.LOCAL_LOGIN_ENABLED = False
    make_user(email="prof@ac-toulouse.fr", password="correct-horse-battery")
    page = client.get(reverse("login")).content.decode()
    assert "Se connecter avec ProConnect" in page and 'name="password"' not in page
    response = client.post(reverse("login"), {"username": "prof@ac-toulouse.fr", "password": "correct-horse-battery"})
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


def test_without_local_log_in_no_page_offers_an_account_or_a_password(client, configured, make_user):
    configured.LOCAL_LOGIN_ENABLED = False
    for name in ("signup", "resend_confirmation", "password_reset", "password_reset_done", "password_change"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("password_reset_confirm", args=["MQ", "x-y"])).status_code == 404
    home = client.get("/").content.decode()
    assert reverse("signup") not in home and reverse("login") in home
    client.force_login(make_user(email="prof@ac-toulouse.fr"))
    assert reverse("password_change") not in client.get(reverse("profile")).content.decode()


def test_with_local_log_in_the_account_pages_are_offered(client, configured):
    assert client.get(reverse("signup")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    assert reverse("signup") in client.get("/").content.decode()


def test_start_sends_the_browser_to_the_provider(client, configured):
    response = client.get(reverse("sso_start", args=["test"]) + "?next=/apprendre/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://idp.example.org/authorize?")
    for part in ("response_type=code", "client_id=client", "code_challenge_method=S256", "nonce=", "state="):
        assert part in location
    assert "redirect_uri=https%3A%2F%2Fformation-ia.example.org%2Foidc%2Fcallback%2F" in location
    (entry,) = client.session["oidc_states"].values()
    assert entry["provider"] == "test" and entry["nonce"] and entry["code_verifier"]


def test_csp_lets_forms_lead_to_the_providers(settings):
    from django.utils.csp import CSP

    from lms.settings.base import SECURE_CSP

    assert SECURE_CSP["form-action"][0] == CSP.SELF  # plus each configured provider's origin (none in tests)


@pytest.mark.parametrize(("prefix", "title"), [("", "Connexion refusée"), ("/en", "Log-in refused")])
def test_a_callback_without_its_state_gives_a_clear_page_in_the_language_of_the_log_in(
    client, configured, prefix, title
):
    with translation.override("en" if prefix else "fr"):
        client.get(reverse("sso_start", args=["test"]))
    response = client.get(reverse("sso_callback") + "?code=abc&state=not-this-one")
    assert response.status_code == 400
    text = response.content.decode()
    assert title in text
    assert not User.objects.exists()


def test_an_error_from_the_provider_is_explained(client, configured):
    client.get(reverse("sso_start", args=["test"]))
    (state,) = client.session["oidc_states"]
    response = client.get(reverse("sso_callback") + f"?error=access_denied&state={state}")
    assert response.status_code == 400
    assert "annulée ou refusée" in response.content.decode()
    assert client.session["oidc_states"] == {}  # the state is spent


def test_the_callback_refuses_an_answer_from_another_issuer(client, configured):
    client.get(reverse("sso_start", args=["test"]))
    (state,) = client.session["oidc_states"]
    response = client.get(reverse("sso_callback") + f"?code=abc&state={state}&iss=https://evil.example.org")
    assert response.status_code == 400
    assert "ne connaît pas" in response.content.decode()


# --- Data protection ---


def test_an_sso_only_account_confirms_data_actions_by_its_recent_log_in(client, db):
    from lms.reauth import SESSION_KEY

    user = sign_in(provider=make_provider(), claims=claims())
    client.force_login(user, backend="lms.sso.SsoBackend")
    session = client.session
    session[SESSION_KEY] = timezone.now().timestamp()  # as the callback marks it
    session.save()
    response = client.post(reverse("privacy:my_data"), {"csrfmiddlewaretoken": "x"})
    assert response["Content-Type"] == "application/zip"
    # Long after the log-in: log in again at the provider.
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    response = client.post(reverse("privacy:my_data"), {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 200 and "reconnectez-vous par votre fournisseur" in response.content.decode()


def test_erasure_removes_the_link_to_the_provider(db):
    from privacy.erasure import erase_user
    from privacy.inventory import personal_models

    assert "lms.SsoIdentity" in {p.label for p in personal_models()}
    user = sign_in(provider=make_provider(), claims=claims())
    result = erase_user(user=user)
    assert result.deleted["lms.SsoIdentity"] == 1
    assert not SsoIdentity.objects.exists()
