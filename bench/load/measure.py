"""The load test's measures: processes started and stopped, the CPU time of each component (from /proc, with its
descendants), the PostgreSQL backends' CPU time and the outbox's counts, sampled together (bench/load/run.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(parts[1]), (int(parts[11]) + int(parts[12])) / TICK  # ppid, utime + stime


def all_processes() -> dict[int, tuple[int, float]]:
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                stats[int(entry.name)] = stat
    return stats


def tree_cpu(roots: list[int], stats: dict[int, tuple[int, float]]) -> float:
    """CPU seconds of these processes and all their descendants (alive now)."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cpu) in stats.items():
        children.setdefault(ppid, []).append(pid)
    wanted, frontier = set(roots), list(roots)
    while frontier:
        for pid in children.get(frontier.pop(), []):
            if pid not in wanted:
                wanted.add(pid)
                frontier.append(pid)
    return sum(stats[pid][1] for pid in wanted if pid in stats)


_db_backends: dict[int, float] = {}  # every backend seen: a closed connection keeps the CPU it used


def db_backends_cpu() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [row[0] for row in cursor.fetchall()]
    for pid in pids:
        if stat := _stat(pid):
            _db_backends[pid] = stat[1]
    return sum(_db_backends.values())


def outbox_counts() -> tuple[int, int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT state, count(*) FROM xapi_outboxstatement GROUP BY state")
        counts = dict(cursor.fetchall())
    backlog = counts.get("pending", 0) + counts.get("in_flight", 0)
    return backlog, counts.get("sent", 0), sum(counts.values())


def start(cmd: list[str], log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not answer in {timeout}s:\n{log.read_text()[-3000:]}")


@dataclass
class Sample:
    t: float
    backlog: int
    sent: int
    produced: int
    cpu: dict[str, float] = field(default_factory=dict)


def sample(processes: dict[str, list[int]]) -> Sample:
    backlog, sent, produced = outbox_counts()
    stats = all_processes()
    cpu = {name: tree_cpu(pids, stats) for name, pids in processes.items()}
    cpu["postgres"] = db_backends_cpu()
    return Sample(time.time(), backlog, sent, produced, cpu)


def at(samples: list[Sample], t: float) -> Sample:
    return min(samples, key=lambda s: abs(s.t - t))
