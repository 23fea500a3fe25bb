"""Single sign-on: configuration, claims → account and organisation, the linking rule, pages (no provider needed).

The protocol itself is tested against a real OpenID provider in test_sso_provider.py and tests/e2e/test_sso_browser.py.
"""

from django.urls import reverse
from django.utils import timezone, translation

import pytest

from lms.models import Establishment, SsoIdentity, User
from lms.sso import Provider, SsoError, sign_in
from lms.sso_conf import ProviderConfigurationError, provider_origins, providers_from_env

ISSUER = "https://idp.example.org/api/v2"
SECRET = "secret-de-test-assez-long-pour-signer-en-hs256"


def make_provider(**overrides) -> Provider:
    config = providers_from_env(
        {
            "OIDC_PROVIDERS": "test",
            "OIDC_TEST_ISSUER": ISSUER,
            "OIDC_TEST_CLIENT_ID": "client",
            "OIDC_TEST_CLIENT_SECRET": SECRET,
            "OIDC_TEST_FAMILY_NAME_CLAIM": "usual_name",
            "OIDC_TEST_UAI_CLAIM": "uai",
        }
    )["test"]
    return Provider(**{**config, **overrides})


def claims(sub="sub-1", email="camille.martin@ac-nantes.fr", **extra) -> dict:
    return {
        "sub": sub,
        "email": email,
        "email_verified": True,
        "given_name": "Camille",
        "usual_name": "Martin",
        **extra,
    }


# --- Configuration from the environment ---


def test_providers_from_the_environment():
    env = {
        "OIDC_PROVIDERS": "proconnect, academie",
        "OIDC_PROCONNECT_LABEL": "ProConnect",
        "OIDC_PROCONNECT_ISSUER": "https://auth.agentconnect.gouv.fr/api/v2/",
        "OIDC_PROCONNECT_CLIENT_ID": "id",
        "OIDC_PROCONNECT_CLIENT_SECRET": "secret",
        "OIDC_PROCONNECT_SCOPES": "openid email given_name usual_name uid siret",
        "OIDC_PROCONNECT_ACR_VALUES": "eidas1",
        "OIDC_PROCONNECT_TRUST_EMAIL": "true",
        "OIDC_ACADEMIE_ISSUER": "https://sso.ac-exemple.fr/realms/agents",
        "OIDC_ACADEMIE_CLIENT_ID": "id2",
        "OIDC_ACADEMIE_CLIENT_SECRET": "secret2",
        "OIDC_ACADEMIE_END_SESSION_ENDPOINT": "https://logout.ac-exemple.fr/end",
    }
    providers = providers_from_env(env)
    assert list(providers) == ["proconnect", "academie"]
    proconnect = providers["proconnect"]
    assert proconnect["issuer"] == "https://auth.agentconnect.gouv.fr/api/v2"  # no trailing slash
    assert proconnect["trust_email"] is True and proconnect["acr_values"] == "eidas1"
    assert providers["academie"]["label"] == "academie" and providers["academie"]["trust_email"] is False
    assert provider_origins(providers) == [
        "https://auth.agentconnect.gouv.fr",
        "https://sso.ac-exemple.fr",
        "https://logout.ac-exemple.fr",
    ]


def test_a_provider_without_its_client_is_a_configuration_error():
    with pytest.raises(ProviderConfigurationError, match="OIDC_X_CLIENT_SECRET"):
        providers_from_env({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": ISSUER, "OIDC_X_CLIENT_ID": "id"})


def test_no_provider_by_default():
    assert providers_from_env({}) == {}


# --- Claims → account and organisation ---


def test_new_account_from_claims(academies):
    college = Establishment.objects.create(uai="0440001M", name="Collège N", academie=academies["Nantes"])
    user = sign_in(provider=make_provider(), claims=claims(uai="0440001m"), language="en")
    assert (user.email, user.first_name, user.last_name) == ("camille.martin@ac-nantes.fr", "Camille", "Martin")
    assert user.is_active and user.email_confirmed_at is not None and not user.has_usable_password()
    assert user.preferred_language == "en"
    assert (user.academie, user.academie_source, user.establishment) == (
        academies["Nantes"],
        User.AcademieSource.EMAIL,
        college,
    )
    identity = SsoIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (user, ISSUER, "sub-1")


def test_academie_from_the_configured_claim(academies):
    provider = make_provider(academie_claim="academie")
    user = sign_in(provider=provider, claims=claims(email="agent@education.gouv.fr", academie="16"))
    assert user.academie == academies["Toulouse"] and user.academie_source == User.AcademieSource.SSO


def test_an_unknown_domain_and_no_claim_give_no_academie(academies):
    user = sign_in(provider=make_provider(), claims=claims(email="agent@education.gouv.fr", academie="16"))
    assert user.academie is None and user.academie_source == ""  # the académie claim is not configured: ignored


def test_a_uai_with_a_wrong_check_letter_is_ignored(academies):
    Establishment.objects.create(uai="0440001M", name="Collège N", academie=academies["Nantes"])
    user = sign_in(provider=make_provider(), claims=claims(uai="0440001A"))
    assert user.establishment is None and user.academie == academies["Nantes"]


def test_an_establishment_of_another_academie_is_ignored(academies):
    Establishment.objects.create(uai="0310012V", name="Collège T", academie=academies["Toulouse"])
    user = sign_in(provider=make_provider(), claims=claims(uai="0310012V"))
    assert user.establishment is None and user.academie == academies["Nantes"]


def test_the_establishment_gives_the_academie_when_the_domain_does_not(academies):
    college = Establishment.objects.create(uai="0310012V", name="Collège T", academie=academies["Toulouse"])
    user = sign_in(provider=make_provider(), claims=claims(email="agent@education.gouv.fr", uai="0310012V"))
    assert (user.academie, user.establishment, user.academie_source) == (
        academies["Toulouse"],
        college,
        User.AcademieSource.SSO,
    )


@pytest.mark.parametrize(
    ("bad_claims", "code"),
    [
        ({"email": ""}, "email"),
        ({"email": None}, "email"),
        ({"email_verified": False}, "unverified"),
        ({"email_verified": "true"}, "unverified"),  # a string is not the boolean the standard asks for
    ],
)
def test_an_address_missing_or_unconfirmed_creates_nothing(db, bad_claims, code):
    with pytest.raises(SsoError) as error:
        sign_in(provider=make_provider(), claims={**claims(), **bad_claims})
    assert error.value.code == code
    assert not User.objects.exists() and not SsoIdentity.objects.exists()


def test_a_provider_trusted_for_e_mail_needs_no_email_verified(db):
    user = sign_in(provider=make_provider(trust_email=True), claims={**claims(), "email_verified": None})
    assert user.email_confirmed_at is not None


# --- Linking to an existing account ---


def test_links_an_account_whose_address_was_confirmed(make_user):
    existing = make_user(email="camille.martin@ac-nantes.fr", email_confirmed_at=timezone.now())
    user = sign_in(provider=make_provider(), claims=claims())
    assert user.pk == existing.pk and user.has_usable_password()  # the password still works too
    assert SsoIdentity.objects.get().user_id == existing.pk


def test_links_a_pre_created_account_never_used(academies):
    """As bulk enrolment pre-creates participants: no usable password, never logged in, académie set by a manager."""
    existing = User.objects.create_user(
        email="camille.martin@ac-nantes.fr",
        password=None,
        academie=academies["Toulouse"],
        academie_source=User.AcademieSource.MANAGER,
    )
    user = sign_in(provider=make_provider(), claims=claims())
    assert user.pk == existing.pk and user.is_active and user.email_confirmed_at is not None
    assert user.academie == academies["Toulouse"]  # a manager's choice is kept
    assert user.academie_source == User.AcademieSource.MANAGER


def test_never_links_an_unconfirmed_account_with_a_password(make_user):
    """Someone registered another person's address with a password of their own: the real owner is not merged in."""
    squatter = make_user(email="camille.martin@ac-nantes.fr", password="mot-de-passe-du-squatteur")
    with pytest.raises(SsoError) as error:
        sign_in(provider=make_provider(), claims=claims())
    assert error.value.code == "conflict"
    assert not SsoIdentity.objects.exists()
    squatter.refresh_from_db()
    assert squatter.email_confirmed_at is None and squatter.first_name == ""


def test_never_links_an_unconfirmed_account_already_used(make_user):
    used = make_user(email="camille.martin@ac-nantes.fr", password=None, last_login=timezone.now())
    with pytest.raises(SsoError) as error:
        sign_in(provider=make_provider(), claims=claims())
    assert error.value.code == "conflict"
    assert not SsoIdentity.objects.exists() and used.sso_identities.count() == 0


def test_a_deactivated_account_stays_closed(make_user):
    make_user(email="camille.martin@ac-nantes.fr", email_confirmed_at=timezone.now(), is_active=False)
    with pytest.raises(SsoError) as error:
        sign_in(provider=make_provider(), claims=claims())
    assert error.value.code == "inactive"
    assert not SsoIdentity.objects.exists()


def test_the_link_follows_the_subject_not_the_address(db):
    first = sign_in(provider=make_provider(), claims=claims())
    again = sign_in(provider=make_provider(), claims=claims(email="nouvelle.adresse@ac-nantes.fr", given_name="Cam"))
    assert again.pk == first.pk and again.first_name == "Cam"
    assert User.objects.count() == 1


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


# --- ID token checks the library leaves to its user (HS256 with the client secret: no network) ---


def id_token(**overrides) -> str:
    import time

    import jwt

    now = int(time.time())
    payload = {"iss": ISSUER, "aud": "client", "sub": "sub-1", "nonce": "n-1", "iat": now, "exp": now + 300}
    return jwt.encode({**payload, **overrides}, SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"iss": "https://other.example.org"}, "issuer"),
        ({"aud": "another-client"}, "token"),
        ({"nonce": "n-2"}, "nonce"),
        ({"exp": 1}, "token"),
        ({"sub": ""}, "token"),
    ],
)
def test_id_token_checks(db, overrides, code):
    from lms.sso import SsoBackend

    backend = SsoBackend(
        make_provider(sign_algo="HS256", endpoints={"token_endpoint": "x", "jwks_uri": "y", "userinfo_endpoint": "z"})
    )
    assert backend.checked_id_token(id_token(), nonce="n-1")["sub"] == "sub-1"
    with pytest.raises(SsoError) as error:
        backend.checked_id_token(id_token(**overrides), nonce="n-1")
    assert error.value.code == code


def test_a_token_signed_with_another_key_is_refused(db):
    import jwt

    from lms.sso import SsoBackend

    backend = SsoBackend(
        make_provider(sign_algo="HS256", endpoints={"token_endpoint": "x", "jwks_uri": "y", "userinfo_endpoint": "z"})
    )
    forged = jwt.encode(
        jwt.decode(id_token(), options={"verify_signature": False}),
        "une-autre-cle-assez-longue-pour-hs256-0123456789",
        "HS256",
    )
    with pytest.raises(SsoError) as error:
        backend.checked_id_token(forged, nonce="n-1")
    assert error.value.code == "token"


def test_a_later_unverified_address_never_sets_the_academie(academies):
    first = sign_in(provider=make_provider(), claims=claims(email="agent@education.gouv.fr"))
    assert first.academie is None
    again = sign_in(provider=make_provider(), claims=claims(email="agent@ac-toulouse.fr", email_verified=False))
    assert again.pk == first.pk and again.academie is None and again.email == "agent@education.gouv.fr"
