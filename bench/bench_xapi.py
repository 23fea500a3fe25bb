"""Benchmark: the outbox worker against a raw batched POST loop and tincan one statement at a time.

    .venv/bin/python bench/bench_xapi.py [--runs 3] [--worker-n 5000] [--tincan-n 1000] [--batch-size 200]

Against a local Ralph 5.1.0 (scripts/lrs.sh; filesystem backend with the append fix), each run with a fresh data
directory. The worker path includes the database (claim with lease, mark sent) on a temporary SQLite database
(or DATABASE_URL). Prints statements/s per run, the median of the runs and the ratios. Not part of CI.
Goal: the worker reaches at least 80 % of the raw batched rate.
"""

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-xapi-var-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

import httpx  # noqa: E402
from tincan import RemoteLRS, Statement  # noqa: E402

from tests.xapi.factories import many  # noqa: E402
from tests.xapi.ralph import XAPI_HEADERS, Ralph  # noqa: E402
from xapi import outbox  # noqa: E402
from xapi.conf import lrs_config  # noqa: E402
from xapi.models import OutboxState, OutboxStatement  # noqa: E402
from xapi.worker import Worker  # noqa: E402


def fresh_ralph() -> Ralph:
    lrs = Ralph(Path(tempfile.mkdtemp(prefix="bench-ralph-")))
    lrs.start()
    return lrs


def run_worker(statements: list[dict], batch_size: int) -> float:
    OutboxStatement.objects.all().delete()
    with transaction.atomic():
        outbox.enqueue(statements)
    lrs = fresh_ralph()
    try:
        worker = Worker(
            lrs_config(endpoint=lrs.endpoint, username=lrs.username, password=lrs.password, batch_size=batch_size),
            echo=lambda _: None,
        )
        started = time.perf_counter()
        result = worker.drain()
        elapsed = time.perf_counter() - started
        worker.close()
        sent = OutboxStatement.objects.filter(state=OutboxState.SENT).count()
        assert sent == len(statements) == result.report.sent, (sent, result)
        return len(statements) / elapsed
    finally:
        lrs.stop()


def run_raw(statements: list[dict], batch_size: int) -> float:
    bodies = [outbox.serialize(s) for s in statements]
    batches = [b"[" + b",".join(bodies[i : i + batch_size]) + b"]" for i in range(0, len(bodies), batch_size)]
    lrs = fresh_ralph()
    try:
        with httpx.Client(
            auth=lrs.auth, headers={**XAPI_HEADERS, "Content-Type": "application/json"}, timeout=60
        ) as client:
            started = time.perf_counter()
            for body in batches:
                client.post(lrs.statements_url, content=body).raise_for_status()
            elapsed = time.perf_counter() - started
        return len(statements) / elapsed
    finally:
        lrs.stop()


def run_tincan(statements: list[dict]) -> float:
    lrs = fresh_ralph()
    try:
        remote = RemoteLRS(endpoint=lrs.endpoint + "/", username=lrs.username, password=lrs.password, version="1.0.3")
        # tincan rewrites the dicts it is given (objectType -> object_type): give it copies.
        objects = [Statement(copy.deepcopy(s)) for s in statements]
        started = time.perf_counter()
        for statement in objects:
            response = remote.save_statement(statement)
            assert response.success, response.data
        elapsed = time.perf_counter() - started
        return len(statements) / elapsed
    finally:
        lrs.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worker-n", type=int, default=5000)
    parser.add_argument("--tincan-n", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=lrs_config().batch_size)
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    statements = many(args.worker_n)
    print(
        f"Ralph 5.1.0 (fs backend), {args.runs} runs each with a fresh data directory; batches of {args.batch_size}; "
        f"database: {django.db.connection.vendor}"
    )
    rates: dict[str, list[float]] = {"worker": [], "raw": [], "tincan": []}
    for run in range(1, args.runs + 1):
        rates["worker"].append(run_worker(statements, args.batch_size))
        rates["raw"].append(run_raw(statements, args.batch_size))
        rates["tincan"].append(run_tincan(statements[: args.tincan_n]))
        print(
            f"run {run}: worker {rates['worker'][-1]:,.0f}/s  raw batched POST {rates['raw'][-1]:,.0f}/s  "
            f"tincan one at a time {rates['tincan'][-1]:,.1f}/s"
        )
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"\nmedian of {args.runs} (statements/s):")
    print(f"  worker ({args.worker_n:,} statements)          {median['worker']:10,.0f}")
    print(f"  raw batched POST ({args.worker_n:,} statements) {median['raw']:10,.0f}")
    print(f"  tincan one at a time ({args.tincan_n:,})       {median['tincan']:10,.1f}")
    ratio = median["worker"] / median["raw"]
    print(f"\nworker / raw batched POST: {ratio:.0%} (goal: at least 80 %)")
    print(f"worker / tincan one at a time: {median['worker'] / median['tincan']:.0f}x")
    print(f"raw batched POST / tincan: {median['raw'] / median['tincan']:.0f}x")


if __name__ == "__main__":
    main()
