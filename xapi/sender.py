"""Delivery of one claimed batch to the LRS, and what each answer means for the outbox.

- 200/204: sent.
- 400/409/413/422 (any other 4xx) on a batch: a conforming LRS refused the whole batch for (at least) one statement;
  split it in halves until the culprit is alone, deliver the rest.
- 409 on one statement: read the stored statement back; sent if it is ours (same content), dead otherwise.
- Another 4xx on one statement: dead, with the LRS's answer.
- 401/403: nothing is marked (the statements are released untouched); the caller backs off hard and reports a
  configuration error.
- 429, 5xx, timeouts, connection errors: the statements not yet delivered go back to pending with exponential
  backoff and jitter (and at least Retry-After).
"""

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import outbox
from .conf import LrsConfig
from .outbox import Claimed

log = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
LRS_OWNED_KEYS = frozenset({"stored", "authority", "version"})


def is_success(answer: "httpx.Response | Exception") -> bool:
    return isinstance(answer, httpx.Response) and answer.status_code in (200, 204)


class _Transient(Exception):
    def __init__(self, status: int | None, error: str, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.retry_after = status, error, retry_after


class _AuthRefused(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


@dataclass
class DeliveryReport:
    sent: int = 0
    dead: int = 0
    retried: int = 0
    released: int = 0
    requests: int = 0
    transient_error: str = ""
    auth_error: str = ""
    resolved: set[int] = field(default_factory=set, repr=False)

    def add(self, other: "DeliveryReport") -> None:
        for name in ("sent", "dead", "retried", "released", "requests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.transient_error = other.transient_error or self.transient_error
        self.auth_error = other.auth_error or self.auth_error


def make_client(config: LrsConfig, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        auth=(config.username, config.password),
        headers={
            "X-Experience-API-Version": XAPI_VERSION,
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
        timeout=httpx.Timeout(config.timeout),
        transport=transport,
    )


def _answer(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}: {response.text[:2000]}"


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _normalised(statement: dict[str, Any]) -> dict[str, Any]:
    """For comparing what the LRS holds with what we sent: without its own keys, timestamps as instants."""
    out = {k: v for k, v in statement.items() if k not in LRS_OWNED_KEYS}
    if isinstance(out.get("timestamp"), str):
        out["timestamp"] = dt.datetime.fromisoformat(out["timestamp"].replace("Z", "+00:00"))
    return out


class Sender:
    def __init__(self, config: LrsConfig, *, owner: str, client: httpx.Client | None = None) -> None:
        self.config = config
        self.owner = owner
        self.client = client or make_client(config)

    def close(self) -> None:
        self.client.close()

    def post(self, batch: Sequence[Claimed]) -> "httpx.Response | _Transient":
        """The first POST of a batch alone (no database access: the worker runs it beside its next claim)."""
        report = DeliveryReport()
        try:
            return self._post(batch, report)
        except _Transient as exc:
            return exc

    def deliver(
        self, batch: Sequence[Claimed], first_answer: "httpx.Response | _Transient | None" = None
    ) -> DeliveryReport:
        """Deliver a claimed batch; every statement of it ends sent, dead, back to pending, or released.

        `first_answer` is the result of `post(batch)` when the worker already sent it.
        """
        report = DeliveryReport()
        if first_answer is not None:
            report.requests += 1
        try:
            self._deliver(list(batch), report, first_answer)
        except _Transient as exc:
            rest = [c for c in batch if c.pk not in report.resolved]
            report.retried += outbox.mark_retry(
                owner=self.owner, claimed=rest, status=exc.status, error=exc.error, min_delay=exc.retry_after
            )
            report.transient_error = exc.error
        except _AuthRefused as exc:
            rest = [c.pk for c in batch if c.pk not in report.resolved]
            report.released += outbox.release(owner=self.owner, pks=rest)
            report.auth_error = exc.error
        return report

    def _post(self, items: Sequence[Claimed], report: DeliveryReport) -> httpx.Response:
        body = b"[" + b",".join(c.payload for c in items) + b"]"  # the stored bytes, as they are
        report.requests += 1
        try:
            return self.client.post(self.config.statements_url, content=body)
        except httpx.TimeoutException as exc:
            raise _Transient(None, f"timeout after {self.config.timeout:g} s ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Transient(None, f"connection error: {type(exc).__name__}: {exc}") from exc

    def _deliver(
        self, items: list[Claimed], report: DeliveryReport, answer: "httpx.Response | _Transient | None" = None
    ) -> None:
        if isinstance(answer, _Transient):
            raise answer
        response = answer if answer is not None else self._post(items, report)
        status = response.status_code
        if status in (200, 204):
            report.sent += outbox.mark_sent(owner=self.owner, pks=[c.pk for c in items], status=status)
            report.resolved.update(c.pk for c in items)
        elif status in (401, 403):
            raise _AuthRefused(status, f"the LRS refused the credentials ({_answer(response)})")
        elif status == 429 or status >= 500:
            raise _Transient(status, _answer(response), _retry_after(response))
        elif len(items) > 1:
            # All-or-nothing batch refused: isolate the statement(s) responsible.
            middle = len(items) // 2
            self._deliver(items[:middle], report)
            self._deliver(items[middle:], report)
        elif status == 409:
            self._resolve_conflict(items[0], response, report)
        else:
            self._dead(items[0], status, _answer(response), report)

    def _dead(self, item: Claimed, status: int | None, error: str, report: DeliveryReport) -> None:
        log.warning("xAPI statement %s refused by the LRS: %s", item.statement_id, error)
        report.dead += outbox.mark_dead(owner=self.owner, pk=item.pk, status=status, error=error)
        report.resolved.add(item.pk)

    def _resolve_conflict(self, item: Claimed, conflict: httpx.Response, report: DeliveryReport) -> None:
        """409: the LRS holds a statement with this id. Ours (a re-send recognised) -> sent; another -> dead."""
        report.requests += 1
        try:
            response = self.client.get(self.config.statements_url, params={"statementId": str(item.statement_id)})
        except httpx.TimeoutException as exc:
            raise _Transient(None, f"timeout reading back {item.statement_id}") from exc
        except httpx.TransportError as exc:
            raise _Transient(None, f"connection error reading back {item.statement_id}: {exc}") from exc
        if response.status_code in (401, 403):
            raise _AuthRefused(response.status_code, f"the LRS refused to read back ({_answer(response)})")
        if response.status_code != 200:
            raise _Transient(response.status_code, f"409, then reading back failed: {_answer(response)}")
        body = response.json()
        stored = body["statements"] if isinstance(body, dict) and "statements" in body else [body]
        ours = json.loads(item.payload)
        if any(isinstance(s, dict) and _normalised(s) == _normalised(ours) for s in stored):
            report.sent += outbox.mark_sent(owner=self.owner, pks=[item.pk], status=409)
            report.resolved.add(item.pk)
        elif not stored:
            raise _Transient(409, f"409 but the LRS returns no statement {item.statement_id}")
        else:
            self._dead(item, 409, f"the LRS holds a different statement with this id ({_answer(conflict)})", report)
