import json

from django.urls import reverse

from xapi.models import OutboxStatement
from xapi.validation import assert_valid_statement


def outbox_statements(verb: str | None = None) -> list[dict]:
    """Every statement in the outbox (each checked against Ralph's strict model and the cmi5 rules)."""
    found = []
    for row in OutboxStatement.objects.order_by("pk"):
        statement = json.loads(bytes(row.payload))
        assert_valid_statement(statement)
        if verb is None or statement["verb"]["id"].endswith("/" + verb):
            found.append(statement)
    return found


def enrolled_and_started(client, world: dict, user) -> dict:
    """`user` logged in with `client`, enrolled in the world's course, and the first lesson seen (so the learning
    session is open, as it is for a learner in the middle of a course)."""
    client.force_login(user)
    client.post(reverse("courses:enrol", args=[world["course"].pk]))
    client.get(world["lessons"][0].url)
    return world
