"""Single sign-on against a REAL OpenID Connect provider (npm's certified oidc-provider in its own Node process).

The platform runs as pytest-django's live server; httpx plays the browser through the provider's own log-in and
consent pages. Each bad state gives the clear page and creates no account. The full Chromium journey is in
tests/e2e/test_sso_browser.py.
"""

from importlib import import_module
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import reverse

import httpx
import pytest

from lms.models import Establishment, SsoIdentity, User
from tests.oidc.provider import provider_login

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def nantes_college(academies):
    return Establishment.objects.create(uai="0440001M", name="Collège N", academie=academies["Nantes"])


def client() -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=20)


def start_url(live_server) -> str:
    return live_server.url + reverse("sso_start", args=["test"])


def session_of(browser: httpx.Client):
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(browser.cookies.get("sessionid"))


def test_log_in_creates_the_account_from_trusted_claims(sso_settings, live_server, nantes_college, academies):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
        response = browser.get(callback)
        assert response.status_code == 302, response.text[:800]
        assert response.headers["location"] == reverse(settings.LOGIN_REDIRECT_URL)
        page = browser.get(live_server.url + reverse("profile"))
        assert page.status_code == 200
        assert "camille.martin@ac-nantes.fr" in page.text
    user = User.objects.get(email="camille.martin@ac-nantes.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert user.email_confirmed_at is not None and user.is_active and not user.has_usable_password()
    assert user.academie == academies["Nantes"]
    assert user.academie_source == User.AcademieSource.EMAIL  # from the explicit domain list
    assert user.establishment == nantes_college  # UAI claim, check letter verified
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.provider) == (
        sso_settings.OIDC_PROVIDERS["test"]["issuer"],
        "camille",
        "test",
    )


def test_second_log_in_finds_the_same_account(sso_settings, live_server, nantes_college):
    for _ in range(2):
        with client() as browser:
            assert browser.get(provider_login(browser, start_url(live_server), "camille")).status_code == 302
    assert User.objects.filter(email="camille.martin@ac-nantes.fr").count() == 1
    assert SsoIdentity.objects.count() == 1


def test_log_out_ends_the_session_at_the_provider(sso_settings, live_server, nantes_college, oidc_provider):
    with client() as browser:
        browser.get(provider_login(browser, start_url(live_server), "camille"))
        page = browser.get(live_server.url + reverse("profile"))
        csrf = browser.cookies.get("csrftoken")
        response = browser.post(
            live_server.url + reverse("logout"),
            data={"csrfmiddlewaretoken": csrf},
            headers={"Referer": page.url.__str__()},
        )
        assert response.status_code == 302
        location = urlsplit(response.headers["location"])
        assert f"{location.scheme}://{location.netloc}" == oidc_provider.issuer
        query = parse_qs(location.query)
        assert query["post_logout_redirect_uri"] == [live_server.url + "/"]
        assert query["id_token_hint"][0].count(".") == 2  # the ID token of this session
        # The provider knows the session and asks to confirm the log-out (its own page).
        assert browser.get(response.headers["location"]).status_code == 200
        # And the platform's session is gone.
        assert browser.get(live_server.url + reverse("profile")).status_code == 302


# --- Bad states: a clear page, no account ---


def assert_refused(response, phrase: str) -> None:
    assert response.status_code == 400, response.text[:500]
    assert "Connexion refusée" in response.text
    assert phrase in response.text
    assert not User.objects.exists()
    assert not SsoIdentity.objects.exists()


def test_missing_email_claim(sso_settings, live_server):
    with client() as browser:
        response = browser.get(provider_login(browser, start_url(live_server), "sans-courriel"))
    assert_refused(response, "adresse électronique")


def test_unverified_email_is_not_trusted(sso_settings, live_server):
    with client() as browser:
        response = browser.get(provider_login(browser, start_url(live_server), "non-verifie"))
    assert_refused(response, "n’a pas confirmé votre adresse")


def test_state_mismatch(sso_settings, live_server):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
        response = browser.get(callback.replace("state=", "state=autre"))
    assert_refused(response, "inconnu")


def test_callback_in_another_browser_has_no_state(sso_settings, live_server):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
    with client() as other:
        response = other.get(callback)
    assert_refused(response, "inconnu")


def test_wrong_nonce(sso_settings, live_server):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
        session = session_of(browser)
        states = session["oidc_states"]
        for entry in states.values():
            entry["nonce"] = "une-autre-valeur"
        session["oidc_states"] = states
        session.save()
        response = browser.get(callback)
    assert_refused(response, "valeur à usage unique")


def test_wrong_code(sso_settings, live_server):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
        code = parse_qs(urlsplit(callback).query)["code"][0]
        response = browser.get(callback.replace(code, "code-invente"))
    assert_refused(response, "code d’autorisation")


def test_reused_code(sso_settings, live_server, nantes_college):
    with client() as browser:
        callback = provider_login(browser, start_url(live_server), "camille")
        saved = dict(session_of(browser)["oidc_states"])
        assert browser.get(callback).status_code == 302  # first use: logged in
    User.objects.all().delete()
    # An attacker replays the same callback with the same state and verifier in their own session.
    with client() as attacker:
        provider_login(attacker, start_url(live_server), "camille")
        session = session_of(attacker)
        session["oidc_states"] = saved
        session.save()
        response = attacker.get(callback)
    assert_refused(response, "déjà été utilisé")


def test_unknown_issuer(sso_settings, live_server, oidc_provider):
    """The platform expects another issuer than the one answering (a mix-up): refused before any code exchange."""
    real = httpx.get(f"{oidc_provider.issuer}/.well-known/openid-configuration").json()
    endpoints = {k: real[k] for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")}
    sso_settings.OIDC_PROVIDERS = {
        "test": oidc_provider.settings(issuer=f"http://localhost:{oidc_provider.port}", endpoints=endpoints)
    }
    with client() as browser:
        response = browser.get(provider_login(browser, start_url(live_server), "camille"))
    assert_refused(response, "ne connaît pas")


def test_unknown_provider_name_is_not_found(sso_settings, live_server):
    with client() as browser:
        assert browser.get(live_server.url + reverse("sso_start", args=["inconnu"])).status_code == 404


# --- Linking to existing accounts ---


def test_links_a_confirmed_account(sso_settings, live_server, make_user):
    from django.utils import timezone

    user = make_user(email="sacha.confirmee@ac-toulouse.fr", email_confirmed_at=timezone.now())
    with client() as browser:
        assert browser.get(provider_login(browser, start_url(live_server), "confirmee")).status_code == 302
    assert SsoIdentity.objects.get().user == user
    assert User.objects.count() == 1


def test_links_a_pre_created_never_used_account(sso_settings, live_server, academies):
    user = User.objects.create_user(
        email="alix.preinscrite@ac-toulouse.fr",
        password=None,
        academie=academies["Toulouse"],
        academie_source=User.AcademieSource.MANAGER,
    )
    with client() as browser:
        assert browser.get(provider_login(browser, start_url(live_server), "preinscrite")).status_code == 302
    user.refresh_from_db()
    assert SsoIdentity.objects.get().user == user
    assert user.email_confirmed_at is not None and user.last_login is not None
    assert user.academie_source == User.AcademieSource.MANAGER


def test_never_links_an_unconfirmed_account_with_a_password(sso_settings, live_server, make_user):
    squatter = make_user(email="victime@ac-toulouse.fr", password="mot-de-passe-du-squatteur")
    with client() as browser:
        response = browser.get(provider_login(browser, start_url(live_server), "squat"))
    assert response.status_code == 400
    assert "jamais été confirmée" in response.text
    assert not SsoIdentity.objects.exists()
    squatter.refresh_from_db()
    assert squatter.email_confirmed_at is None and squatter.last_login is None
