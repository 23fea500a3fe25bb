"""Identity providers (OpenID Connect) read from the environment. Pure Python: the settings module imports it.

    OIDC_PROVIDERS=proconnect,academie          names, in the order of the log-in buttons
    OIDC_PROCONNECT_LABEL=ProConnect            shown as "Se connecter avec ProConnect"
    OIDC_PROCONNECT_ISSUER=https://…/api/v2     the provider's issuer; endpoints come from its discovery document
    OIDC_PROCONNECT_CLIENT_ID=… / OIDC_PROCONNECT_CLIENT_SECRET=…

Optional, per provider (docs/sso.md explains each): SCOPES, ACR_VALUES, TRUST_EMAIL, ACADEMIE_CLAIM, UAI_CLAIM,
GIVEN_NAME_CLAIM, FAMILY_NAME_CLAIM, SIGN_ALGO, TOKEN_AUTH (post or basic), and AUTHORIZATION_ENDPOINT,
TOKEN_ENDPOINT, USERINFO_ENDPOINT, JWKS_URI, END_SESSION_ENDPOINT to replace discovery.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")
TRUE = {"1", "true", "yes", "on"}


class ProviderConfigurationError(ValueError):
    pass


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def providers_from_env(environ: Mapping[str, str]) -> dict[str, dict]:
    """{name: settings} for each name in OIDC_PROVIDERS. A provider missing its issuer or client is an error."""
    providers: dict[str, dict] = {}
    for raw in environ.get("OIDC_PROVIDERS", "").split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if not name.replace("_", "").replace("-", "").isalnum():
            raise ProviderConfigurationError(f"OIDC_PROVIDERS: {raw!r} is not a valid name (letters, digits, -, _)")
        key = "OIDC_" + name.upper().replace("-", "_") + "_"

        def get(field: str, default: str = "", key: str = key) -> str:
            return environ.get(key + field, default).strip()

        missing = [f for f in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET") if not get(f)]
        if missing:
            raise ProviderConfigurationError(f"provider {name!r}: set {', '.join(key + f for f in missing)}")
        providers[name] = {
            "name": name,
            "label": get("LABEL", name),
            "issuer": get("ISSUER").rstrip("/"),
            "client_id": get("CLIENT_ID"),
            "client_secret": get("CLIENT_SECRET"),
            "scopes": get("SCOPES", "openid email profile"),
            "acr_values": get("ACR_VALUES"),
            "trust_email": get("TRUST_EMAIL", "false").lower() in TRUE,
            "academie_claim": get("ACADEMIE_CLAIM"),
            "uai_claim": get("UAI_CLAIM"),
            "given_name_claim": get("GIVEN_NAME_CLAIM", "given_name"),
            "family_name_claim": get("FAMILY_NAME_CLAIM", "family_name"),
            "sign_algo": get("SIGN_ALGO", "RS256"),
            "token_auth": get("TOKEN_AUTH", "post").lower(),
            "endpoints": {e: get(e.upper()) for e in ENDPOINTS if get(e.upper())},
        }
    return providers


def provider_origins(providers: Mapping[str, dict]) -> list[str]:
    """Origins the browser is sent to (log-in and log-out): for the CSP's form-action."""
    origins: list[str] = []
    for provider in providers.values():
        for url in (provider["issuer"], *provider["endpoints"].values()):
            origin = _origin(url)
            if origin not in origins:
                origins.append(origin)
    return origins
