"""Erasure against a real Ralph: the LRS keeps its statements (pseudonymous, append-only), but nothing in the platform
ties them to the anonymous shell any more: new registrations, no pseudonym, no old registration anywhere."""

import json

from django.urls import reverse

import pytest

from courses.models import Enrolment
from privacy.erasure import erase_user
from tests.courses.conftest import build_course, teacher  # noqa: F401
from xapi.models import OutboxStatement, XapiPseudonym

from .ralph import deliver_outbox

# serialized_rollback: the course world needs the data migrations wrote (locales, académies, the root page).
pytestmark = [pytest.mark.lrs, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def by_registration(ralph, registration: str) -> list[dict]:
    """Ralph's own registration filter, checked against a client-side filter over everything it holds."""
    with ralph.client() as client:
        response = client.get(ralph.statements_url, params={"registration": registration, "limit": 500})
    response.raise_for_status()
    served = response.json()["statements"]
    held = [s for s in ralph.statements() if s.get("context", {}).get("registration") == registration]
    assert {s["id"] for s in served} == {s["id"] for s in held}
    return held


def test_an_erased_shell_cannot_be_tied_to_its_lrs_history(client, build_course, teacher, ralph):  # noqa: F811
    c = build_course(n_modules=1, n_lessons=2, translate=False)
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.get(lesson.url)
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    produced = [json.loads(bytes(p)) for p in OutboxStatement.objects.values_list("payload", flat=True)]
    assert deliver_outbox(ralph) == 0
    [old] = [str(r) for r in Enrolment.objects.filter(user=teacher).values_list("registration", flat=True)]
    pseudonym = XapiPseudonym.objects.get(user=teacher).pseudonym
    history = by_registration(ralph, old)
    assert len(history) == len(produced) > 3  # the LRS holds the learner's history under the old registration

    erase_user(user=teacher)

    [new] = [str(r) for r in Enrolment.objects.filter(user=teacher).values_list("registration", flat=True)]
    assert new != old
    assert by_registration(ralph, new) == []  # the shell's registration leads nowhere in the LRS
    # …and what the LRS holds (old registration, pseudonym) leads nowhere in the platform
    assert not Enrolment.objects.filter(registration=old).exists()
    assert not XapiPseudonym.objects.filter(pseudonym=pseudonym).exists()
    assert not OutboxStatement.objects.exists()
    assert {s["actor"]["account"]["name"] for s in history} == {pseudonym}
