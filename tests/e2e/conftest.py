"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser), axe-core from npm.

Each test gets `page` on a live server with the demo-like data it creates itself. Helpers:
`axe_violations(page)` runs axe-core (WCAG 2.0/2.1 A and AA rules) and returns the violations list.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.authoring import problems, site  # noqa: F401 (the authoring journeys' fixtures)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def _allow_sync_orm_beside_playwright():
    # pytest-django's live_server runs in a thread; the sync Playwright API runs an event loop in this one, and the
    # test database may be created inside it. Set from the first browser test to the end of the session only, never
    # at import (other tests' subprocesses must not inherit it: `check --deploy` refuses it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup):
    """The migrated database's serialized contents, read before Playwright's event loop starts."""
    from django.db import connections

    return {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}


@pytest.fixture(scope="session", autouse=True)
def _serialized_database_inside_playwright(_serialized_database, browser):
    """Once Playwright's loop runs in this thread, Django hands out other connection objects (asgiref's Local keys
    them by context), which lack the serialized contents that `serialized_rollback` restores after another test
    flushed the database. Give them the same contents."""
    from django.db import connections

    for alias, contents in _serialized_database.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}: apt-get install chromium (scripts/ensure-browser.sh does).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (scripts/ensure-browser.sh does).")
    # Evaluated through the DevTools protocol rather than a <script> tag, which the site's CSP would block.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def login(live_server):
    """Log a user in through the real form."""

    def do(page, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/compte/connexion/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    return do


def set_admin_language(user, language):
    """The Wagtail admin's language for this user (their profile), as the admin reads it."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
