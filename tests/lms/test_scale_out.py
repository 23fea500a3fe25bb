"""Several web processes behind one address: they share log-in sessions (database sessions) and the cache (the
production settings' database cache). Two separate gunicorn processes on the same PostgreSQL database; a learner
logs in on one and is known on the other, logs out on the other and is gone on the first; a rate-limit counter
filled through both is refused by both, and a cache entry deleted by a third process is gone for both.
"""

import secrets
import subprocess
import time
from pathlib import Path

from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import httpx
import pytest

from reports.views import VERIFY_LIMIT
from tests.xapi.helpers import database_url
from tests.xapi.ralph import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "un-mot-de-passe-assez-long"


class WebProcess:
    """One gunicorn (one sync worker) with the production settings, over plain HTTP on loopback."""

    def __init__(self, db_url: str, secret_key: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "tests.lms.scale_out_settings",
            "DATABASE_URL": db_url,
            "SECRET_KEY": secret_key,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        self.log = log
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "lms.wsgi", "-w", "1", "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """Cookies by hand: the production cookies are Secure, and this test talks plain HTTP to two origins."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(method, url, headers={"Cookie": header} if header else {}, timeout=30, **kwargs)
        for line in response.headers.get_list("set-cookie"):
            name, value = line.split(";", 1)[0].split("=", 1)
            if "max-age=0" in line.lower() or "1970" in line:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def post(self, url: str, data: dict) -> httpx.Response:
        return self.request("POST", url, data={**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})


@pytest.fixture
def two_web_processes(django_db_serialized_rollback, transactional_db, tmp_path):
    call_command("createcachetable", "lms_cache", verbosity=0)  # the production settings' cache table
    secret_key = secrets.token_urlsafe(64)
    servers = [WebProcess(database_url(), secret_key, tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
    try:
        for server in servers:
            server.wait()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def urls():
    with translation.override("fr"):
        return {
            "login": reverse("login"),
            "logout": reverse("logout"),
            "my_learning": reverse("courses:my_learning"),
            "verify": reverse("reports:verify"),
        }


@pytest.mark.postgres
def test_a_session_opened_on_one_process_is_known_and_closed_on_the_other(two_web_processes, make_user, urls):
    a, b = two_web_processes
    make_user(email="camille@ac-toulouse.fr", password=PASSWORD, first_name="Camille")
    browser = Browser()
    browser.request("GET", a.base + urls["login"])
    response = browser.post(a.base + urls["login"], {"username": "camille@ac-toulouse.fr", "password": PASSWORD})
    assert response.status_code == 302, response.text[:500]
    assert "sessionid" in browser.cookies

    on_b = browser.request("GET", b.base + urls["my_learning"])
    assert on_b.status_code == 200  # the other process knows the session
    assert f'action="{urls["logout"]}"' in on_b.text  # the page offers to log out: it knows who is there
    assert Browser().request("GET", b.base + urls["my_learning"]).status_code == 302  # a stranger is sent to log in

    session = browser.cookies["sessionid"]
    assert browser.post(b.base + urls["logout"], {}).status_code == 302  # log out on the other process
    browser.cookies["sessionid"] = session  # someone replays the old session cookie
    back_on_a = browser.request("GET", a.base + urls["my_learning"])  # the old session cookie, on the first process
    assert back_on_a.status_code == 302 and urls["login"] in back_on_a.headers["Location"]


@pytest.mark.postgres
def test_the_cache_is_shared_and_an_invalidation_reaches_every_process(two_web_processes, urls):
    a, b = two_web_processes
    browser = Browser()
    for n in range(VERIFY_LIMIT):  # the verification look-ups of one address, alternately on each process
        server = (a, b)[n % 2]
        assert browser.request("GET", server.base + urls["verify"], params={"code": "NOPE-0000"}).status_code == 404
    # The limit is reached on both: each process counted the other's look-ups.
    for server in (a, b):
        assert browser.request("GET", server.base + urls["verify"], params={"code": "NOPE-0000"}).status_code == 429

    # A third process (this test) deletes the counter: both web processes see it gone at once.
    shared = DatabaseCache("lms_cache", {})
    assert shared.get("reports:verify:127.0.0.1") is not None
    shared.delete("reports:verify:127.0.0.1")
    for server in (a, b):
        assert browser.request("GET", server.base + urls["verify"], params={"code": "NOPE-0000"}).status_code == 404
