"""The outbox worker: claim a batch (lease committed first), deliver it, repeat; back off when the LRS is unwell."""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from . import conf, outbox
from .conf import LrsConfig
from .models import OutboxState, OutboxStatement
from .outbox import Claimed
from .sender import DeliveryReport, Sender, is_success, make_client

log = logging.getLogger(__name__)


def new_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class PassResult:
    report: DeliveryReport
    batches: int
    seconds: float

    @property
    def stopped_by_error(self) -> bool:
        return bool(self.report.auth_error or self.report.transient_error)


class Worker:
    def __init__(
        self,
        config: LrsConfig | None = None,
        *,
        owner: str | None = None,
        lease_seconds: float | None = None,
        transport: httpx.BaseTransport | None = None,
        stop: threading.Event | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config or conf.lrs_config()
        self.owner = owner or new_owner()
        self.lease_seconds = lease_seconds if lease_seconds is not None else conf.lease_seconds()
        self.stop = stop or threading.Event()
        self.echo = echo or log.info
        self.sender = Sender(self.config, owner=self.owner, client=make_client(self.config, transport))

    def close(self) -> None:
        self.sender.close()

    def _claim(self) -> list[Claimed]:
        if self.stop.is_set():
            return []
        return outbox.claim_batch(owner=self.owner, limit=self.config.batch_size, lease_seconds=self.lease_seconds)

    def drain(self) -> PassResult:
        """Deliver everything claimable now; stop early on a transient or credentials error (or when asked to).

        Pipelined: while a batch is on the wire (in a helper thread, no database access there), the next batch is
        claimed; after a plain success the next POST leaves before the previous batch is marked sent. Only this
        thread touches the database.
        """
        started = time.monotonic()
        total = DeliveryReport()
        batches = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xapi-post") as pool:
            batch = self._claim()
            in_flight = pool.submit(self.sender.post, batch) if batch else None
            while batch and in_flight is not None:
                following = self._claim()
                answer = in_flight.result()
                in_flight = None
                if is_success(answer) and following:
                    in_flight = pool.submit(self.sender.post, following)
                report = self.sender.deliver(batch, answer)
                batches += 1
                total.add(report)
                if report.auth_error or report.transient_error:
                    # Claimed but never sent: give it back untouched.
                    total.released += outbox.release(owner=self.owner, pks=[c.pk for c in following])
                    if report.auth_error:
                        outbox.record_error(report.auth_error, configuration=True)
                        log.error("LRS configuration error (check LRS_USERNAME/LRS_PASSWORD): %s", report.auth_error)
                    else:
                        outbox.record_error(report.transient_error)
                        log.warning("LRS unavailable, will retry with backoff: %s", report.transient_error)
                    break
                if in_flight is None and following:
                    in_flight = pool.submit(self.sender.post, following)
                batch = following
        if total.sent and not (total.auth_error or total.transient_error):
            outbox.record_success()
        return PassResult(total, batches, time.monotonic() - started)

    def run(self, *, once: bool = False) -> int:
        """Loop until stopped (SIGTERM sets `stop`); with `once`, one drain. Returns a process exit status."""
        if not self.config.configured:
            waiting = OutboxStatement.objects.filter(state=OutboxState.PENDING).count()
            self.echo(f"No LRS configured (LRS_ENDPOINT is empty): {waiting} statement(s) wait safely in the outbox.")
            if once:
                return 0
            self.stop.wait()
            return 0
        self.echo(f"Sending statements to {self.config.endpoint} as worker {self.owner}.")
        try:
            while True:
                result = self.drain()
                if result.batches:
                    self.echo(self._describe(result))
                if once:
                    if result.report.auth_error:
                        return 2
                    return 1 if result.report.transient_error else 0
                if self.stop.is_set():
                    return 0
                if result.report.auth_error:
                    pause = conf.auth_backoff_seconds()
                elif result.batches and not result.stopped_by_error:
                    continue  # more may have arrived while we were sending
                else:
                    pause = conf.idle_poll_seconds()
                self.stop.wait(pause)
                if self.stop.is_set():
                    return 0
        finally:
            self.echo("Worker stopped.")

    @staticmethod
    def _describe(result: PassResult) -> str:
        r = result.report
        rate = r.sent / result.seconds if result.seconds > 0 else 0.0
        parts = [f"sent {r.sent}", f"dead {r.dead}", f"retry later {r.retried}"]
        if r.released:
            parts.append(f"released {r.released}")
        line = f"{', '.join(parts)} in {result.batches} batch(es), {r.requests} request(s), {rate:.0f}/s"
        if r.auth_error:
            line += f"; CONFIGURATION ERROR: {r.auth_error}"
        elif r.transient_error:
            line += f"; LRS unavailable: {r.transient_error}"
        return line
