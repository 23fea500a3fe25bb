"""The learner as an xAPI actor: a random pseudonym under the platform's home page, nothing else."""

from typing import Any

from django.db import IntegrityError, transaction

from .conf import platform_base_url
from .models import XapiPseudonym


def pseudonym_for(user: Any) -> str:
    """The learner's stable pseudonym, created (randomly) on first use."""
    try:
        return user.xapi_pseudonym.pseudonym
    except XapiPseudonym.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            row = XapiPseudonym.objects.create(user=user)
    except IntegrityError:  # created meanwhile by a concurrent request
        row = XapiPseudonym.objects.get(user=user)
    user.xapi_pseudonym = row
    return row.pseudonym


def actor_for(user: Any) -> dict[str, Any]:
    """`{"objectType": "Agent", "account": {"homePage": PLATFORM_BASE_URL, "name": <pseudonym>}}`: no name, no mbox."""
    return {"objectType": "Agent", "account": {"homePage": platform_base_url(), "name": pseudonym_for(user)}}
