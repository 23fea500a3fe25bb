"""Real Chromium, real OpenID Connect provider (npm's oidc-provider, started by the suite): log in through the
provider's own log-in and consent pages, land on the platform logged in with the académie from trusted claims,
log out at the provider and come back logged out. No console error or CSP violation on the platform's pages (the
form-action directive must let the log-out form lead to the provider); the pages pass axe-core in both languages."""

import re

from django.urls import reverse
from django.utils import translation

import pytest

from lms.models import Establishment, SsoIdentity, User

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch_platform_console(page, live_server) -> list[str]:
    """Console errors and warnings (CSP violations among them) raised on the platform's own pages."""
    problems: list[str] = []

    def on_console(msg):
        if msg.type in {"error", "warning"} and page.url.startswith(live_server.url):
            problems.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def log_in_at_provider(page, login: str) -> None:
    """The provider's own pages (oidc-provider's development log-in): any password, then consent."""
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("n-importe-quoi")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_log_in_and_out_through_the_provider(page, live_server, sso_settings, oidc_provider, academies):
    Establishment.objects.create(uai="0440001M", name="Collège Jules-Verne", academie=academies["Nantes"])
    problems = watch_platform_console(page, live_server)

    page.goto(f"{live_server.url}/compte/connexion/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Se connecter avec Fournisseur de test").click()
    page.wait_for_url(re.compile(re.escape(oidc_provider.issuer)))
    log_in_at_provider(page, "camille")

    page.wait_for_url(re.compile(re.escape(live_server.url)))
    page.get_by_role("button", name="Se déconnecter").wait_for()  # logged in
    user = User.objects.get(email="camille.martin@ac-nantes.fr")
    assert (user.first_name, user.last_name, user.academie.name) == ("Camille", "Martin", "Nantes")
    assert user.establishment.uai == "0440001M"
    assert SsoIdentity.objects.filter(user=user, subject="camille").exists()
    page.goto(f"{live_server.url}{reverse('profile')}")
    page.get_by_text("camille.martin@ac-nantes.fr").first.wait_for()

    # Log-out: the platform's session ends and the browser goes to the provider's end_session_endpoint.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(re.escape(oidc_provider.issuer) + "/session/end"))
    page.get_by_role("button", name=re.compile("Yes, sign me out", re.I)).click()
    page.wait_for_url(re.compile(re.escape(f"{live_server.url}/") + r"(\?state=\d+)?$"))  # our post-logout address
    page.goto(f"{live_server.url}{reverse('profile')}")
    assert "/compte/connexion/" in page.url  # logged out of the platform

    # Logged out at the provider too: the next log-in asks for the login again.
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_role("link", name="Se connecter avec Fournisseur de test").click()
    page.get_by_placeholder("Enter any login").wait_for()
    assert problems == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_refusal_page_is_clear_and_accessible(page, live_server, sso_settings, oidc_provider, language):
    problems = watch_platform_console(page, live_server)
    with translation.override(language):
        login_page = reverse("login")
        start = reverse("sso_start", args=["test"])
    page.goto(f"{live_server.url}{login_page}")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}{start}")  # the log-in starts (in this language) ...
    page.get_by_placeholder("Enter any login").wait_for()
    page.goto(f"{live_server.url}/oidc/callback/?code=forged&state=forged")  # ... and a forged answer arrives
    heading = {"fr": "Connexion refusée", "en": "Log-in refused"}[language]
    page.get_by_role("heading", name=heading).wait_for()
    assert axe_violations(page) == []
    assert not User.objects.exists()
    assert [p for p in problems if "400" not in p] == []  # the page's own status is not a problem
