"""Shared fixtures. Markers (see pyproject.toml): postgres, lrs, browser, slow."""

from django.conf import settings
from django.db import connection
from django.test import override_settings
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


@pytest.fixture(scope="module")
def search_index():
    """Pages and questions indexed for search on every save, as outside the tests (lms/settings/test.py turns it
    off). For the whole module, so that a world built once for the module is indexed too: a module that searches asks
    for it in its module-scoped world or with `pytestmark = pytest.mark.usefixtures("search_index")`."""
    backends = {name: {**conf, "AUTO_UPDATE": True} for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield


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


def load_demo_content() -> list:
    """The demo courses and their quizzes (courses.demo, assessments.demo); returns the quiz pages."""
    from assessments import demo as assessments_demo
    from courses import demo as courses_demo

    courses_demo.load()
    return assessments_demo.load()


@pytest.fixture
def demo_content(_demo_content_once, db):  # db: named, so that pytest-django orders the test as a database one
    """The demo courses and quizzes: loaded once per module when its tests can share them (tests/built_once.py), else
    per test (loading five courses and their quizzes in two languages takes a while)."""
    from tests.built_once import per_test  # imported here: a plugin of this module, rewritten by pytest after it

    return load_demo_content() if _demo_content_once is None else per_test(_demo_content_once)


@pytest.fixture
def academies(db):
    return all_academies()


@pytest.fixture
def make_user(db):
    return create_user
