"""The pipeline's guarantees, each against a real Ralph started by the test suite (free port, temporary directory).

Delivery is at-least-once, de-duplicated by statement id: every test ends by reading all statements back from
Ralph and asserting that each id the platform produced appears exactly once, with the same content.
"""

import copy
import json
import signal
import sqlite3
import threading
import time
from collections.abc import Callable

from django.db import connections, transaction
from django.utils import timezone

import pytest

from xapi import outbox
from xapi.conf import lrs_config
from xapi.models import OutboxState, OutboxStatement, SenderStatus
from xapi.worker import Worker

from .factories import many
from .helpers import Blackhole, HoldingProxy, RecordingProxy, database_url, manage, worker
from .ralph import assert_each_stored_once, deliver_outbox

pytestmark = [pytest.mark.lrs, pytest.mark.django_db(transaction=True)]


def enqueue(statements):
    with transaction.atomic():
        outbox.enqueue(statements)
    return statements


def wait_until(condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    """Poll (a safety net against hanging, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def states() -> dict[str, int]:
    return {s: OutboxStatement.objects.filter(state=s).count() for s in OutboxState.values}


@pytest.fixture
def quick_retries(settings):
    settings.XAPI_RETRY_BASE_SECONDS = 0.1
    settings.XAPI_RETRY_MAX_SECONDS = 0.5
    settings.XAPI_IDLE_POLL_SECONDS = 0.05
    settings.XAPI_AUTH_BACKOFF_SECONDS = 0.2


class ThreadedWorker:
    """The real worker loop (`Worker.run`) in a thread of the test process, with its own database connection."""

    def __init__(self, config) -> None:
        self.worker = Worker(config)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self.worker.run()
        except BaseException as exc:  # surfaced by stop()
            self.error = exc
        finally:
            connections.close_all()

    def __enter__(self) -> "ThreadedWorker":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.worker.stop.set()
        self.thread.join(60)
        self.worker.close()
        assert not self.thread.is_alive(), "the worker did not stop"
        assert self.error is None, self.error


def test_lrs_stopped_while_events_keep_coming(ralph, quick_retries):
    produced = []
    config = lrs_config(endpoint=ralph.endpoint, username=ralph.username, password=ralph.password, batch_size=20)
    with ThreadedWorker(config):
        for _ in range(5):
            produced += enqueue(many(10))
        wait_until(lambda: states()["sent"] == 50, what="the first 50 statements")

        ralph.stop()
        for _ in range(8):
            produced += enqueue(many(10))  # the platform keeps working: enqueuing never needs the LRS
            time.sleep(0.05)
        wait_until(lambda: OutboxStatement.objects.filter(attempts__gt=0, state=OutboxState.PENDING).exists())
        assert "connection error" in SenderStatus.objects.get().last_error

        ralph.start()
        produced += enqueue(many(10))
        wait_until(lambda: states()["sent"] == len(produced), what="every statement after the restart")

    assert len(produced) == 140
    assert states() == {"pending": 0, "in_flight": 0, "sent": 140, "dead": 0}
    assert_each_stored_once(ralph, produced)


def test_one_invalid_statement_in_a_batch_of_50(ralph, client, make_user):
    statements = many(50)
    bad = copy.deepcopy(statements[23])
    del bad["object"]["id"]  # Ralph refuses the whole batch (422) for this one
    statements[23] = bad
    enqueue(statements)

    w = Worker(lrs_config(endpoint=ralph.endpoint, username=ralph.username, password=ralph.password, batch_size=50))
    assert w.run(once=True) == 0
    assert states() == {"pending": 0, "in_flight": 0, "sent": 49, "dead": 1}
    dead = OutboxStatement.objects.get(state=OutboxState.DEAD)
    assert str(dead.statement_id) == bad["id"]
    assert dead.last_status == 422 and '"loc":["body",0,"object","id"]' in dead.last_error  # Ralph's answer

    # Visible in the admin, and retriable.
    admin = make_user(email="admin@ac-lyon.fr", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get("/admin/xapi/outbox/?state=dead").content.decode()
    assert bad["id"] in page
    assert client.post("/admin/xapi/outbox/retry/", {"pk": [dead.pk]}).status_code == 302
    assert OutboxStatement.objects.get(pk=dead.pk).state == OutboxState.PENDING
    assert w.run(once=True) == 0  # still invalid for this LRS: dead again, after a second attempt
    dead.refresh_from_db()
    assert dead.state == OutboxState.DEAD and dead.attempts == 2
    w.close()

    assert_each_stored_once(ralph, statements[:23] + statements[24:])


def test_wrong_credentials_then_fixed(ralph):
    produced = enqueue(many(30))
    wrong = Worker(lrs_config(endpoint=ralph.endpoint, username=ralph.username, password="wrong-password"))
    assert wrong.run(once=True) == 2
    wrong.close()
    assert states() == {"pending": 30, "in_flight": 0, "sent": 0, "dead": 0}
    assert set(OutboxStatement.objects.values_list("attempts", flat=True)) == {0}
    status = SenderStatus.objects.get()
    assert status.configuration_error and "401" in status.last_error
    assert outbox.summary().configuration_error
    assert ralph.statements() == []

    assert deliver_outbox(ralph) == 0  # the right credentials
    assert states()["sent"] == 30
    assert not SenderStatus.objects.get().configuration_error
    assert_each_stored_once(ralph, produced)


def test_worker_killed_after_the_lrs_stored_a_batch(ralph):
    produced = enqueue(many(40))
    db_url = database_url()
    proxy = HoldingProxy(ralph.endpoint)
    try:
        doomed = worker(
            proxy.endpoint, db_url=db_url, username=ralph.username, password=ralph.password, lease=1, batch_size=100
        )
        assert proxy.stored.wait(60), doomed.communicate()[0] if doomed.poll() is not None else "no POST"
        assert len(ralph.statements()) == 40  # the LRS has the batch...
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(30)
        # ...and the outbox does not know: all still in flight, with a lease that expires.
        assert states() == {"pending": 0, "in_flight": 40, "sent": 0, "dead": 0}
    finally:
        proxy.close()

    wait_until(
        lambda: OutboxStatement.objects.filter(lease_expires_at__lt=timezone.now()).count() == 40, what="lease expiry"
    )
    again = worker(ralph.endpoint, db_url=db_url, username=ralph.username, password=ralph.password)
    output, _ = again.communicate(timeout=120)
    assert again.returncode == 0, output
    assert states() == {"pending": 0, "in_flight": 0, "sent": 40, "dead": 0}
    # The re-send was recognised by the LRS as the same statements (204), not stored again.
    assert set(OutboxStatement.objects.values_list("last_status", flat=True)) == {204}
    assert_each_stored_once(ralph, produced)


def _two_workers(ralph, db_url: str) -> list[list[str]]:
    """Two worker processes at once, through a proxy that records every POST (and holds the first two until both
    workers have a batch in flight, so they really run at the same time)."""
    proxy = RecordingProxy(ralph.endpoint, rendezvous=2)
    try:
        procs = [
            worker(proxy.endpoint, db_url=db_url, username=ralph.username, password=ralph.password, batch_size=20)
            for _ in range(2)
        ]
        for proc in procs:
            out, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0, out
        assert proxy.met, "the two workers never had batches in flight at the same time"
        return proxy.posted
    finally:
        proxy.close()


def _assert_each_posted_once(posted: list[list[str]], produced: list[dict]) -> None:
    ids = [i for batch in posted for i in batch]
    assert len(ids) == len(set(ids)), "a statement was POSTed twice"
    assert set(ids) == {s["id"] for s in produced}


def test_two_workers_at_once_on_the_test_database(ralph):
    """On PostgreSQL in the PostgreSQL leg (FOR UPDATE SKIP LOCKED), on SQLite when the suite runs on SQLite."""
    produced = enqueue(many(400))
    posted = _two_workers(ralph, database_url())
    _assert_each_posted_once(posted, produced)
    assert set(OutboxStatement.objects.values_list("attempts", flat=True)) == {1}
    assert states()["sent"] == 400
    assert_each_stored_once(ralph, produced)


def test_two_workers_at_once_on_sqlite(ralph, tmp_path):
    """Whatever the suite's database, also on a file SQLite database (WAL, immediate transactions)."""
    db_url = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    migrate = manage("migrate", "xapi", "--no-input", "-v0", db_url=db_url)  # xapi and what it needs
    out, _ = migrate.communicate(timeout=300)
    assert migrate.returncode == 0, out
    script = (
        "import json, sys; from django.db import transaction; from xapi import outbox; "
        "from tests.xapi.factories import many; s = many(400); "
        "transaction.atomic()(outbox.enqueue)(s); print(json.dumps(s))"
    )
    filler = manage("shell", "-c", script, db_url=db_url)
    out, _ = filler.communicate(timeout=120)
    assert filler.returncode == 0, out
    produced = json.loads(out.strip().splitlines()[-1])
    posted = _two_workers(ralph, db_url)
    _assert_each_posted_once(posted, produced)
    with sqlite3.connect(tmp_path / "outbox.sqlite3") as db:
        rows = db.execute("SELECT state, attempts, COUNT(*) FROM xapi_outboxstatement GROUP BY 1, 2").fetchall()
    assert rows == [("sent", 1, 400)]
    assert_each_stored_once(ralph, produced)


def test_lrs_that_never_answers(ralph, quick_retries, django_assert_max_num_queries):
    first = enqueue(many(10))
    hole = Blackhole()
    try:
        stuck = Worker(lrs_config(endpoint=hole.endpoint, username="u", password="p", timeout=5))
        result: dict = {}
        thread = threading.Thread(target=lambda: (result.update(status=stuck.run(once=True)), connections.close_all()))
        thread.start()
        assert hole.accepted.wait(30)
        # The worker is blocked on the LRS; its claim is committed, so the platform writes freely.
        later = many(10)
        with transaction.atomic(), django_assert_max_num_queries(1):
            outbox.enqueue(later)
        assert thread.is_alive() and "status" not in result  # enqueuing did not wait for the worker
        thread.join(60)
        stuck.close()
    finally:
        hole.close()
    assert result["status"] == 1
    timed_out = OutboxStatement.objects.filter(last_error__contains="timeout")
    assert timed_out.count() == 10 and set(timed_out.values_list("attempts", flat=True)) == {1}
    assert states() == {"pending": 20, "in_flight": 0, "sent": 0, "dead": 0}

    w = Worker(lrs_config(endpoint=ralph.endpoint, username=ralph.username, password=ralph.password))
    wait_until(lambda: w.drain() is not None and states()["sent"] == 20, what="delivery after the timeout")
    w.close()
    assert_each_stored_once(ralph, first + later)


def test_sigterm_stops_the_worker_cleanly(ralph):
    produced = enqueue(many(5))
    proc = worker(ralph.endpoint, db_url=database_url(), username=ralph.username, password=ralph.password, once=False)
    wait_until(lambda: states()["sent"] == 5, what="delivery by the looping worker")
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "SIGTERM" in out and "Worker stopped." in out
    assert_each_stored_once(ralph, produced)
