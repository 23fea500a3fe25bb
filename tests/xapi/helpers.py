"""Real processes and misbehaving servers for the guarantee tests."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connection

import httpx

ROOT = Path(__file__).resolve().parents[2]


def database_url(settings_dict: dict | None = None) -> str:
    """The URL of the test database, for a worker started in another process."""
    s = settings_dict or connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def manage(*args: str, db_url: str, username: str = "", password: str = "", **popen) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": db_url,
        "LRS_USERNAME": username,
        "LRS_PASSWORD": password,
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def worker(
    endpoint: str, *, db_url: str, username: str, password: str, once: bool = True, **options
) -> subprocess.Popen:
    args = ["send_statements", "--endpoint", endpoint]
    if once:
        args.append("--once")
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return manage(*args, db_url=db_url, username=username, password=password)


class Blackhole:
    """Accepts TCP connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.accepted.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


class RecordingProxy:
    """Forwards to Ralph and records the statement ids of every POST.

    The first `rendezvous` POSTs are held until that many are in flight at once, which proves that as many workers
    were sending different batches at the same time.
    """

    def __init__(self, target: str, rendezvous: int = 2) -> None:
        url = httpx.URL(target)
        self.target = f"{url.scheme}://{url.host}:{url.port}"
        self.posted: list[list[str]] = []
        self.met = False
        self._barrier = threading.Barrier(rendezvous)
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "POST":
                    with proxy._lock:
                        proxy.posted.append([s["id"] for s in json.loads(body)])
                        first = len(proxy.posted) <= proxy._barrier.parties
                    if first:
                        try:
                            proxy._barrier.wait(timeout=60)
                            proxy.met = True
                        except threading.BrokenBarrierError:
                            pass
                headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
                answer = httpx.request(
                    self.command, proxy.target + self.path, content=body, headers=headers, timeout=60
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = _forward

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HoldingProxy:
    """Forwards to Ralph; after Ralph has answered the first POST, holds that answer back until `release()`.

    This puts a worker exactly between "the LRS stored the batch" and "the outbox recorded it".
    """

    def __init__(self, target: str) -> None:
        url = httpx.URL(target)
        self.target = f"{url.scheme}://{url.host}:{url.port}"  # request paths already start with /xAPI
        self.stored = threading.Event()
        self._release = threading.Event()
        self.answers: list[int] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
                answer = httpx.request(
                    self.command, proxy.target + self.path, content=body, headers=headers, timeout=30
                )
                proxy.answers.append(answer.status_code)
                if self.command == "POST" and not proxy.stored.is_set():
                    proxy.stored.set()
                    proxy._release.wait(60)
                try:
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the worker is gone

            do_GET = do_POST = do_PUT = _forward

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def release(self) -> None:
        self._release.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
