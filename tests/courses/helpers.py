import json

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
