"""A real OpenID Connect provider for the test suite (pytest plugin, listed in tests/conftest.py's `pytest_plugins`).

`oidc_provider` starts the certified `oidc-provider` package from npm (tests/oidc/provider.mjs) in its own Node
process on a free loopback port, with the platform's live server as its registered client. Its own development
log-in page accepts any password; who logs in decides the claims (ACCOUNTS). `sso_settings` points the platform at it.
npm installs the package on first use (`npm ci`, as scripts/ensure-browser.sh does), so a clean clone needs nothing else.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest

from tests.xapi.ralph import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "plateforme-ia"
CLIENT_SECRET = "secret-de-test-uniquement"

# The people the provider knows (login → claims). A login not listed here has no claim but `sub`.
ACCOUNTS = {
    "camille": {
        "email": "camille.martin@ac-nantes.fr",
        "email_verified": True,
        "given_name": "Camille",
        "usual_name": "Martin",
        "uai": "0440001M",
    },
    "sans-courriel": {"given_name": "Sans", "usual_name": "Courriel"},
    "non-verifie": {"email": "dominique@ac-nantes.fr", "email_verified": False, "given_name": "Dominique"},
    "preinscrite": {"email": "alix.preinscrite@ac-toulouse.fr", "email_verified": True, "given_name": "Alix"},
    "confirmee": {"email": "sacha.confirmee@ac-toulouse.fr", "email_verified": True, "given_name": "Sacha"},
    "squat": {"email": "victime@ac-toulouse.fr", "email_verified": True, "given_name": "Vraie"},
}


class OidcProvider:
    def __init__(self, directory: Path, platform_url: str) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.platform_url = platform_url.rstrip("/")
        self.log_path = directory / "oidc-provider.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        env = {
            **os.environ,
            "OIDC_TEST_PORT": str(self.port),
            "OIDC_TEST_CLIENT_ID": CLIENT_ID,
            "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_TEST_REDIRECT_URIS": f"{self.platform_url}/oidc/callback/",
            "OIDC_TEST_LOGOUT_URIS": f"{self.platform_url}/",
            "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(["node", str(SCRIPT)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oidc-provider did not start in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def settings(self, **overrides) -> dict:
        """The platform's OIDC_PROVIDERS entry for this provider (as lms.sso_conf builds it from the environment)."""
        config = {
            "name": "test",
            "label": "Fournisseur de test",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email given_name usual_name uai",
            "acr_values": "",
            "trust_email": False,
            "academie_claim": "",
            "uai_claim": "uai",
            "given_name_claim": "given_name",
            "family_name_claim": "usual_name",
            "sign_algo": "RS256",
            "token_auth": "post",
            "endpoints": {},
        }
        return {**config, **overrides}


def ensure_npm_packages() -> None:
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed for the OpenID provider of the tests: apt-get install npm")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory) -> Iterator[OidcProvider]:
    """A running oidc-provider whose one client is the platform's live server."""
    ensure_npm_packages()
    provider = OidcProvider(tmp_path_factory.mktemp("oidc"), live_server.url)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def sso_settings(oidc_provider, live_server, settings):
    """The platform configured with the test provider (links and redirect URI on the live server)."""
    from django.core.cache import cache
    from django.utils.csp import CSP

    cache.clear()  # discovery documents and rate-limit counters of earlier tests
    settings.OIDC_PROVIDERS = {"test": oidc_provider.settings()}
    settings.PLATFORM_BASE_URL = live_server.url
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, oidc_provider.issuer]}
    return settings


# --- Driving the provider's own pages without a browser (httpx), for the bad states ---


def _form(html: str) -> tuple[str, dict]:
    """The first form of a page: its action and its hidden and text fields."""
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    }
    return action, fields


def provider_login(client: httpx.Client, start_url: str, login: str) -> str:
    """From the platform's "log in with" link to the callback address the provider sends the browser to (not opened).

    Goes through the provider's log-in page (any password) and its consent page, as a person would.
    """
    url = start_url
    for _ in range(20):
        response = client.get(url)
        if response.is_redirect:
            url = str(response.url.join(response.headers["location"]))
            if "/oidc/callback/" in url:
                return url
            continue
        html = response.text
        action, fields = _form(html)
        if 'name="login"' in html:
            fields.update({"login": login, "password": "n-importe-quoi"})
        response = client.post(str(response.url.join(action)), data=fields)
        assert response.is_redirect, response.text[:500]
        url = str(response.url.join(response.headers["location"]))
        if "/oidc/callback/" in url:
            return url
    raise AssertionError("the provider never sent the browser back to the platform")
