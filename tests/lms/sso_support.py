"""What the single sign-on tests share: a provider configured as from the environment, and a provider's claims."""

from lms.sso import Provider
from lms.sso_conf import providers_from_env

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
