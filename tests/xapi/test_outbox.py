import json

from django.db import transaction

import pytest

from xapi import outbox
from xapi.models import OutboxState, OutboxStatement

from .factories import experienced, many


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 10, 300])
def test_enqueue_is_one_insert_whatever_the_number(n, django_assert_max_num_queries):
    statements = many(n)
    with transaction.atomic(), django_assert_max_num_queries(1):
        rows = outbox.enqueue(statements)
    assert len(rows) == n
    assert OutboxStatement.objects.filter(state=OutboxState.PENDING).count() == n


@pytest.mark.django_db
def test_enqueue_stores_the_exact_bytes():
    statement = experienced(1)
    with transaction.atomic():
        outbox.enqueue(statement)
    row = OutboxStatement.objects.get()
    stored = bytes(row.payload)
    assert stored == json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode()
    assert json.loads(stored) == statement
    assert "Leçon 1 — « IA »".encode() in stored  # UTF-8 as is, not \\u escapes
    assert str(row.statement_id) == statement["id"]
    assert row.actor_name == statement["actor"]["account"]["name"]
    assert row.verb == statement["verb"]["id"]


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="transaction"):
        outbox.enqueue(experienced(1))


@pytest.mark.django_db
def test_a_statement_without_id_or_timestamp_is_refused():
    statement = experienced(1)
    del statement["timestamp"]
    with transaction.atomic(), pytest.raises(ValueError, match="timestamp"):
        outbox.enqueue(statement)


@pytest.mark.django_db(transaction=True)
def test_statement_exists_iff_the_callers_transaction_commits(make_user):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_user(email="rolled-back@ac-lyon.fr")
        outbox.enqueue(experienced(1))
        raise Boom
    assert OutboxStatement.objects.count() == 0

    with transaction.atomic():
        make_user(email="committed@ac-lyon.fr")
        outbox.enqueue(experienced(2))
    assert OutboxStatement.objects.count() == 1


@pytest.mark.django_db
def test_enqueue_of_nothing_costs_nothing(django_assert_max_num_queries):
    with transaction.atomic(), django_assert_max_num_queries(0):
        assert outbox.enqueue([]) == []
