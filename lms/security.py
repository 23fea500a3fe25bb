"""One place for the identity of a client: the normalised log-in name and the client's IP address.

Log-in, django-axes (failed log-in throttling) and every rate limit of the platform use these helpers, so that
case variants of an address share one lock and a client behind the TLS proxy is told apart from the others.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def normalise_email(value: str | None) -> str:
    """The one form of an e-mail address used to look an account up and to count its failed log-ins."""
    return (value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the address as log-in matches it, so `X@AC-…` and `x@ac-…` are one account."""
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        raw = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(raw)


def _valid_ip(value: str) -> str | None:
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting exactly TRUSTED_PROXY_COUNT proxies in front of the application.

    With 0 (the default) the TCP peer (REMOTE_ADDR) is the client. With N proxies, each appends the address it
    received the request from to X-Forwarded-For, so the N-th entry from the right was written by our first proxy:
    that is the client. Entries further left came from the client itself and are ignored, so a forged header cannot
    choose another client's address. A header shorter than N (a misconfiguration) falls back to REMOTE_ADDR.
    """
    # Without a TCP peer (a request built in code, e.g. Django's force_login) the unspecified address stands in: the
    # value must stay an IP address, since django-axes stores it in an inet column on PostgreSQL.
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 - a placeholder, not a bind
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _valid_ip(forwarded[-count]) or remote


def hit_rate_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one use of `key` in a fixed window (in the cache); True once more than `limit` uses were counted."""
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
