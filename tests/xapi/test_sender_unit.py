"""Edge cases of the sender against scripted LRS answers (httpx.MockTransport).

These complement, never replace, the guarantee tests against a real Ralph (test_guarantees.py).
"""

import json

from django.db import transaction
from django.utils import timezone

import httpx
import pytest

from xapi import outbox
from xapi.conf import lrs_config
from xapi.models import OutboxState, OutboxStatement, SenderStatus
from xapi.worker import Worker

from .factories import many

pytestmark = pytest.mark.django_db
ENDPOINT = "http://lrs.test/xAPI"


def enqueue(n):
    statements = many(n)
    with transaction.atomic():
        outbox.enqueue(statements)
    return statements


def worker(handler, **config):
    requests = []

    def record(request):
        requests.append(request)
        return handler(request)

    w = Worker(
        lrs_config(endpoint=ENDPOINT, username="u", password="p", **config), transport=httpx.MockTransport(record)
    )
    return w, requests


def count(state):
    return OutboxStatement.objects.filter(state=state).count()


def test_headers_body_and_sent():
    statements = enqueue(3)
    w, requests = worker(lambda r: httpx.Response(200, json=[s["id"] for s in statements]))
    assert w.run(once=True) == 0
    request = requests[0]
    assert request.headers["X-Experience-API-Version"] == "1.0.3"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"].startswith("Basic ")
    stored = [bytes(p) for p in OutboxStatement.objects.order_by("pk").values_list("payload", flat=True)]
    assert request.content == b"[" + b",".join(stored) + b"]"
    assert count(OutboxState.SENT) == 3
    assert SenderStatus.objects.get().last_success_at is not None


@pytest.mark.parametrize("status", [401, 403])
def test_credentials_refused_marks_nothing(status):
    enqueue(5)
    w, requests = worker(lambda r: httpx.Response(status, json={"detail": "Invalid authentication credentials"}))
    assert w.run(once=True) == 2
    assert len(requests) == 1
    rows = OutboxStatement.objects.all()
    assert {(r.state, r.attempts, r.last_error, r.lease_owner) for r in rows} == {(OutboxState.PENDING, 0, "", "")}
    status_row = SenderStatus.objects.get()
    assert status_row.configuration_error and str(status) in status_row.last_error


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (lambda r: httpx.Response(429, headers={"Retry-After": "120"}), "HTTP 429"),
        (lambda r: httpx.Response(503, text="maintenance"), "HTTP 503"),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r)), "timeout"),
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused", request=r)), "connection error"),
    ],
    ids=["429", "503", "timeout", "refused"],
)
def test_transient_errors_back_off(answer, error):
    enqueue(4)
    before = timezone.now()
    w, _ = worker(answer)
    assert w.run(once=True) == 1
    for row in OutboxStatement.objects.all():
        assert row.state == OutboxState.PENDING and row.attempts == 1 and error in row.last_error
        assert row.next_attempt_at > before
    # Not claimable again before its time: a second pass sends nothing.
    w2, requests = worker(lambda r: httpx.Response(200))
    assert w2.run(once=True) == 0 and requests == []
    if error == "HTTP 429":
        assert all((r.next_attempt_at - before).total_seconds() >= 120 for r in OutboxStatement.objects.all())


def test_backoff_grows_and_is_capped(settings):
    settings.XAPI_RETRY_BASE_SECONDS = 2
    settings.XAPI_RETRY_MAX_SECONDS = 60
    ceilings = [max(outbox.backoff_seconds(a) for _ in range(200)) for a in (1, 2, 3, 10)]
    assert ceilings[0] <= 2 < ceilings[1] <= 4 < ceilings[2] <= 8 and ceilings[3] <= 60
    assert min(outbox.backoff_seconds(1) for _ in range(200)) >= 1  # jitter within [ceiling/2, ceiling]


def test_one_bad_statement_is_isolated_by_splitting():
    statements = enqueue(8)
    bad = statements[5]["id"]

    def lrs(request):
        ids = [s["id"] for s in json.loads(request.content)]
        return httpx.Response(422, json={"detail": "invalid"}) if bad in ids else httpx.Response(200, json=ids)

    w, requests = worker(lrs)
    assert w.run(once=True) == 0
    assert count(OutboxState.SENT) == 7
    dead = OutboxStatement.objects.get(state=OutboxState.DEAD)
    assert str(dead.statement_id) == bad and dead.last_status == 422 and "invalid" in dead.last_error
    assert len(requests) <= 1 + 2 * 3  # log2(8) levels of halves


@pytest.mark.parametrize(("same", "expected"), [(True, OutboxState.SENT), (False, OutboxState.DEAD)])
def test_conflict_is_resolved_by_reading_back(same, expected):
    (statement,) = enqueue(1)
    held = dict(statement, stored="2026-01-01T00:00:00Z", version="1.0.0")
    held["timestamp"] = held["timestamp"].replace("Z", "+00:00")  # same instant, written differently
    if not same:
        held["verb"] = {"id": held["verb"]["id"], "display": {"en-US": "saw"}}

    def lrs(request):
        if request.method == "GET":
            assert request.url.params["statementId"] == statement["id"]
            return httpx.Response(200, json={"statements": [held]})
        return httpx.Response(409, json={"detail": "Differing statements already exist"})

    w, _ = worker(lrs)
    assert w.run(once=True) == 0
    row = OutboxStatement.objects.get()
    assert row.state == expected and row.last_status == 409


def test_transient_error_during_a_split_leaves_the_rest_pending():
    statements = enqueue(4)
    bad = statements[0]["id"]
    calls = []

    def lrs(request):
        calls.append(request)
        ids = [s["id"] for s in json.loads(request.content)]
        if len(calls) == 1:
            return httpx.Response(400, json={"detail": "bad"})
        if bad in ids:
            return httpx.Response(400, json={"detail": "bad"})
        return httpx.Response(502)

    w, _ = worker(lrs)
    assert w.run(once=True) == 1
    assert count(OutboxState.DEAD) == 1
    assert count(OutboxState.PENDING) == 3
    assert count(OutboxState.IN_FLIGHT) == 0


def test_no_lrs_configured_statements_wait(capsys):
    enqueue(2)
    w = Worker(lrs_config(endpoint=""))
    messages = []
    w.echo = messages.append
    assert w.run(once=True) == 0
    assert "No LRS configured" in messages[0] and "2 statement" in messages[0]
    assert count(OutboxState.PENDING) == 2


def test_expired_lease_is_claimed_again_live_lease_is_not():
    enqueue(3)
    first = outbox.claim_batch(owner="w1", limit=10, lease_seconds=300)
    assert len(first) == 3
    assert outbox.claim_batch(owner="w2", limit=10, lease_seconds=300) == []
    OutboxStatement.objects.update(lease_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    second = outbox.claim_batch(owner="w2", limit=10, lease_seconds=300)
    assert [c.pk for c in second] == [c.pk for c in first]
    # The first worker has lost its lease: its late answer changes nothing.
    assert outbox.mark_sent(owner="w1", pks=[c.pk for c in first], status=200) == 0
    assert outbox.mark_sent(owner="w2", pks=[c.pk for c in second], status=200) == 3


def test_retry_dead():
    enqueue(2)
    claimed = outbox.claim_batch(owner="w", limit=10, lease_seconds=60)
    outbox.mark_dead(owner="w", pk=claimed[0].pk, status=400, error="HTTP 400: bad")
    assert outbox.retry_dead() == 1
    row = OutboxStatement.objects.get(pk=claimed[0].pk)
    assert row.state == OutboxState.PENDING and row.next_attempt_at <= timezone.now()


def test_claim_and_mark_cost_constant_queries(django_assert_max_num_queries):
    enqueue(150)
    with django_assert_max_num_queries(4):  # SELECT and UPDATE, plus the savepoint pair inside the test's transaction
        claimed = outbox.claim_batch(owner="w", limit=200, lease_seconds=60)
    with django_assert_max_num_queries(1):
        outbox.mark_sent(owner="w", pks=[c.pk for c in claimed], status=200)


def test_pipelined_batches_an_error_releases_the_batch_claimed_ahead():
    enqueue(50)
    answers = iter([200, 401])

    def lrs(request):
        status = next(answers, 500)
        ids = [s["id"] for s in json.loads(request.content)]
        return httpx.Response(status, json=ids if status == 200 else {"detail": "no"})

    w, requests = worker(lrs, batch_size=20)
    assert w.run(once=True) == 2
    assert len(requests) == 2  # the third batch was claimed ahead, never sent
    assert count(OutboxState.SENT) == 20
    assert count(OutboxState.PENDING) == 30 and count(OutboxState.IN_FLIGHT) == 0
    assert set(OutboxStatement.objects.filter(state=OutboxState.PENDING).values_list("attempts", flat=True)) == {0}


def test_pipelined_batches_all_sent_in_order():
    statements = enqueue(95)
    w, requests = worker(lambda r: httpx.Response(200, json=[s["id"] for s in json.loads(r.content)]), batch_size=20)
    assert w.run(once=True) == 0
    sent_ids = [s["id"] for r in requests for s in json.loads(r.content)]
    assert sent_ids == [s["id"] for s in statements]  # each once, oldest first
    assert count(OutboxState.SENT) == 95
