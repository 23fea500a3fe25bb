"""Item 1 of issue 12: throttling that holds (case variants, every password check, clients behind the proxy)."""

from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

import pytest

from lms.reauth import SESSION_KEY
from lms.security import client_ip

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the application from it


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_case_variants_of_an_address_are_locked_together(client, make_user, settings):
    make_user(email="x@ac-toulouse.fr", password=PASSWORD)
    variants = ["x@ac-toulouse.fr", "X@AC-TOULOUSE.FR", "X@ac-Toulouse.fr", " x@AC-toulouse.FR "]
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": variants[i % len(variants)], "password": f"guess-{i}"})
    for variant in variants:
        response = client.post(reverse("login"), {"username": variant, "password": PASSWORD})
        assert response.status_code == 429, variant
        assert not _logged_in(client)


def test_login_still_works_with_another_case_when_not_locked(client, make_user):
    make_user(email="x@ac-toulouse.fr", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "X@AC-TOULOUSE.FR", "password": PASSWORD})
    assert response.status_code == 302 and _logged_in(client)


@pytest.mark.parametrize("url_name", ["privacy:confirm_password", "privacy:my_data"])
def test_password_reconfirmation_is_locked_after_repeated_failures(client, make_user, settings, url_name):
    user = make_user(email="x@ac-toulouse.fr", password=PASSWORD)
    client.force_login(user)
    url = reverse(url_name)
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"password": f"guess-{i}", "next": "/"})
        assert response.status_code == 200 and "Ce n&#x27;est pas votre mot de passe" in response.content.decode()
    # The limit is reached: even the right password is refused now, and nothing is unlocked.
    client.post(url, {"password": "last-guess", "next": "/"})
    response = client.post(url, {"password": PASSWORD, "next": "/"})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert response.get("Content-Disposition") is None
    # The same lock holds at log-in (one counter per account and client).
    client.logout()
    assert client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 429


def test_password_reconfirmation_accepts_the_right_password(client, make_user):
    user = make_user(email="x@ac-toulouse.fr", password=PASSWORD)
    client.force_login(user)
    response = client.post(reverse("privacy:confirm_password"), {"password": PASSWORD, "next": "/fr/"})
    assert response.status_code == 302 and SESSION_KEY in client.session


def test_password_reset_e_mails_are_limited_per_address(client, make_user):
    make_user(email="x@ac-toulouse.fr", password=PASSWORD)
    for variant in ["x@ac-toulouse.fr", "X@AC-TOULOUSE.FR"] * 4:
        response = client.post(reverse("password_reset"), {"email": variant})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 5


# --- The client's address behind a trusted proxy -----------------------------------------------------------------


def _request(xff: str | None, remote: str = PROXY):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_client_ip_without_proxy_ignores_forwarded_headers(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.5", remote="198.51.100.9")) == "198.51.100.9"


def test_client_ip_behind_one_proxy_takes_the_entry_the_proxy_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"
    # The client forged an entry; the proxy appended the real address after it.
    assert client_ip(_request("198.51.100.7, 203.0.113.5")) == "203.0.113.5"
    # No header at all (a misconfigured proxy): the proxy's address, never something the client chose.
    assert client_ip(_request(None)) == PROXY
    assert client_ip(_request("not-an-address")) == PROXY


def test_client_ip_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_ip(_request("203.0.113.5")) == PROXY


def _login(client, email, password, xff):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff
    )


def test_login_lock_behind_proxy_is_per_client_and_cannot_be_forged(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(email="victim@ac-toulouse.fr", password=PASSWORD)
    victim_ip, attacker_ip = "203.0.113.5", "198.51.100.66"
    # The attacker claims the victim's address in a forged entry; the proxy appends the attacker's real one.
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "victim@ac-toulouse.fr", f"guess-{i}", f"{victim_ip}, {attacker_ip}")
    assert _login(client, "victim@ac-toulouse.fr", PASSWORD, attacker_ip).status_code == 429
    # The victim, behind the same proxy, is not locked out by someone else's failures.
    other = client.__class__()
    response = _login(other, "victim@ac-toulouse.fr", PASSWORD, victim_ip)
    assert response.status_code == 302 and _logged_in(other)


def _verify(client, xff):
    return client.get(reverse("reports:verify"), {"code": "ABCD-EFGH"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


def test_attestation_verification_limit_behind_proxy_is_per_client(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REPORTS_VERIFY_LIMIT = 3
    a, b = "203.0.113.5", "198.51.100.7"
    for _ in range(3):
        assert _verify(client, a).status_code == 404
    assert _verify(client, a).status_code == 429
    # Another client behind the same proxy has its own allowance...
    assert _verify(client, b).status_code == 404
    # ...and client A cannot spend it, nor escape its own limit, by forging an entry naming B.
    assert _verify(client, f"{b}, {a}").status_code == 429
    for _ in range(2):
        assert _verify(client, b).status_code == 404
    assert _verify(client, b).status_code == 429
