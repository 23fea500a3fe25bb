"""Addresses of our CASE objects: each resolves on this server (the read-only CASE 1.1 API), built from the fixed
PLATFORM_BASE_URL setting, never from the request's host."""

from __future__ import annotations

from django.conf import settings

API_PREFIX = "/ims/case/v1p1"


def api_url(kind: str, identifier) -> str:
    """E.g. api_url("CFItems", id) -> https://…/ims/case/v1p1/CFItems/<id>."""
    return f"{settings.PLATFORM_BASE_URL}{API_PREFIX}/{kind}/{identifier}"
