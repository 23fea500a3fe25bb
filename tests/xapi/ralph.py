"""A real Ralph LRS for the test suite (pytest plugin, listed in tests/conftest.py's `pytest_plugins`).

Each `ralph` fixture starts its own Ralph 5.1.0 (scripts/lrs.sh serve: its own virtualenv, the append-mode fix for
the filesystem backend) on a free loopback port with a temporary data directory and generated credentials.
The virtualenv is installed on first use (`scripts/lrs.sh install`), so a clean clone needs nothing else.

Reading back: Ralph's `verb=`/`activity=` filters never match and its order is inverted, so `statements()` pages
through everything and callers filter on the client side.
"""

import json
import os
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LRS_SH = ROOT / "scripts" / "lrs.sh"
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3", "Accept": "application/json"}
LRS_OWNED_KEYS = {"stored", "authority", "version"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    """One Ralph process; `stop()` and `start()` again keep its data and credentials (same port)."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = directory / "ralph.log"
        env = {**os.environ, "LRS_DIR": str(directory), "LRS_PORT": str(self.port)}
        out = subprocess.run([str(LRS_SH), "credentials"], env=env, check=True, capture_output=True, text=True)
        values = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        self.endpoint: str = values["LRS_ENDPOINT"]
        self.username: str = values["LRS_USERNAME"]
        self.password: str = values["LRS_PASSWORD"]
        self._env = env

    @property
    def statements_url(self) -> str:
        return self.endpoint + "/statements"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.username, self.password)

    def start(self, timeout: float = 60) -> None:
        assert self.process is None, "already running"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen([str(LRS_SH), "serve"], env=self._env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited ({self.process.returncode}):\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Ralph did not start in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def client(self) -> httpx.Client:
        return httpx.Client(auth=self.auth, headers=XAPI_HEADERS, timeout=30)

    def statements(self) -> list[dict[str, Any]]:
        """Every statement Ralph holds (following `more`), in whatever order it gives them."""
        found: list[dict[str, Any]] = []
        with self.client() as client:
            url: str | None = self.statements_url + "?limit=500"
            while url:
                response = client.get(url)
                response.raise_for_status()
                body = response.json()
                found.extend(body["statements"])
                more = body.get("more")
                url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return found

    def post(self, statements: list[dict[str, Any]] | dict[str, Any]) -> httpx.Response:
        with self.client() as client:
            return client.post(self.statements_url, json=statements)


def deliver_outbox(ralph: Ralph, **config: object) -> int:
    """Run the real worker once against this Ralph (needs committed rows: `django_db(transaction=True)`).

    Returns the worker's exit status (0: everything due was delivered or is dead).
    """
    from xapi.conf import lrs_config
    from xapi.worker import Worker

    worker = Worker(lrs_config(endpoint=ralph.endpoint, username=ralph.username, password=ralph.password, **config))
    try:
        return worker.run(once=True)
    finally:
        worker.close()


def without_lrs_keys(statement: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in statement.items() if k not in LRS_OWNED_KEYS}


def assert_each_stored_once(ralph: Ralph, expected: Iterable[dict[str, Any]], *, only_these: bool = True) -> None:
    """Each statement the platform produced is in Ralph exactly once, with the same content.

    With `only_these`, Ralph holds nothing else either (client-side comparison: Ralph's filters are broken).
    """
    expected_by_id = {s["id"]: s for s in expected}
    stored = ralph.statements()
    counts = Counter(s["id"] for s in stored)
    duplicated = {i: n for i, n in counts.items() if n > 1}
    assert not duplicated, f"stored more than once: {duplicated}"
    missing = set(expected_by_id) - set(counts)
    assert not missing, f"{len(missing)} of {len(expected_by_id)} statements never arrived: {sorted(missing)[:5]}"
    if only_these:
        extra = set(counts) - set(expected_by_id)
        assert not extra, f"Ralph holds statements the platform did not produce: {sorted(extra)[:5]}"
    for statement in stored:
        if statement["id"] in expected_by_id:
            assert without_lrs_keys(statement) == json.loads(json.dumps(expected_by_id[statement["id"]]))


@pytest.fixture(scope="session")
def ralph_installed() -> Path:
    """Ralph's own virtualenv (.lrs/venv), installed once if missing (CI starts from a clean clone)."""
    subprocess.run([str(LRS_SH), "install"], check=True)
    return ROOT / ".lrs" / "venv"


@pytest.fixture
def ralph(ralph_installed: Path, tmp_path: Path) -> Iterator[Ralph]:
    """A fresh, running Ralph with an empty temporary data directory on a free port."""
    lrs = Ralph(tmp_path / "lrs")
    lrs.start()
    try:
        yield lrs
    finally:
        lrs.stop()
