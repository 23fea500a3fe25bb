"""Shared fixtures. Markers (see pyproject.toml): postgres, lrs, browser, slow."""

from django.db import connection
from django.utils import translation

import pytest

# A real Ralph LRS (fixtures `ralph`, `ralph_installed`), shared by the xapi, courses and assessments tests; the
# worlds built once per test module (tests/built_once.py).
pytest_plugins = ["tests.xapi.ralph", "tests.oidc.provider", "tests.built_once"]


def pytest_runtest_setup(item):
    # A test marked `postgres` must never run (or silently skip) on SQLite: scripts/test.sh deselects it by marker
    # on the SQLite leg; run by hand without DATABASE_URL, it fails with a clear message.
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail(
            "This test needs PostgreSQL: run it with DATABASE_URL=postgres://… (make test does).", pytrace=False
        )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request served in English (the test client runs the locale
    middleware in this thread) must not leave English active for the next test."""
    yield
    translation.deactivate()


def all_academies() -> dict:
    from lms.models import Academie

    return {a.name: a for a in Academie.objects.select_related("region")}


def create_user(email="prof@ac-toulouse.fr", password="correct-horse-battery", role=None, **fields):
    from django.contrib.auth.models import Group

    from lms.models import User

    user = User.objects.create_user(email=email, password=password, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def academies(db):
    return all_academies()


@pytest.fixture
def make_user(db):
    return create_user
