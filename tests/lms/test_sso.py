"""Single sign-on: configuration, claims → account and organisation, the linking rule, ID token checks (no provider
needed). The log-in pages and the callback are in test_sso_pages.py.

The protocol itself is tested against a real OpenID provider in test_sso_provider.py and tests/e2e/test_sso_browser.py.
"""

from django.utils import timezone

import pytest

from lms.models import Establishment, SsoIdentity, User
from lms.sso import SsoError, sign_in
from lms.sso_conf import ProviderConfigurationError, provider_origins, providers_from_env
from tests.lms.sso_support import ISSUER, SECRET, claims, make_provider

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
