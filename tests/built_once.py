"""Test data built once per test module instead of once per test (issue #14): see built_once_per_module.

A pytest plugin (tests/conftest.py: pytest_plugins), so that the module-scoped halves of the shared worlds are found
wherever their function fixtures are imported (tests/e2e, tests/privacy)."""

import copy
from collections.abc import Callable, Iterator

import pytest
from pytest_django.fixtures import validate_django_db

from tests.trust import module_world

TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in getattr(item, "fixturenames", ())


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and validate_django_db(marker)[0]) or bool(
        TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def shareable(request: pytest.FixtureRequest, fixture: str) -> bool:
    """True when every test of the module that uses the database asks for `fixture` (a test that does not must not see
    its data) and none is transactional (it must commit, so it cannot run inside the module's transaction)."""
    items = [i for i in request.session.items if getattr(i, "module", None) is request.module and _uses_database(i)]
    return all(fixture in i.fixturenames and not _transactional(i) for i in items)


def built_once_per_module(request: pytest.FixtureRequest, django_db_blocker, build: Callable[[], object]) -> Iterator:
    """The body of a module-scoped fixture `_NAME_once` behind a function fixture `NAME`: `build()` runs once for the
    test module inside a transaction rolled back at the module's end (tests/trust.py: module_world); each test runs in
    its own savepoint on top (pytest-django's `db`), so what a test writes is gone for the next one, and takes its own
    copy of what `build()` returned (`per_test`), as Django's setUpTestData does. Yields None when the module's tests
    cannot share it (`shareable`): `NAME` then builds for each test, as before."""
    if not shareable(request, request.fixturename.removeprefix("_").removesuffix("_once")):
        yield None
        return
    with module_world(django_db_blocker):
        yield build()


def per_test(built):
    """A test's own copy of data built once (its model instances are the test's to change)."""
    return copy.deepcopy(built)


# The builders are imported in the fixtures: their conftest modules import per_test from this one (cycle).


@pytest.fixture(scope="module")
def _populated_once(request, django_db_setup, django_db_blocker):
    """tests/reports/conftest.py: populated."""
    from tests.conftest import all_academies  # cycle: tests/conftest.py loads this plugin
    from tests.reports.conftest import build_world, populate  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, lambda: populate(build_world(all_academies())))


@pytest.fixture(scope="module")
def _course_tree_once(request, django_db_setup, django_db_blocker):
    """tests/assessments/conftest.py: course_tree."""
    from tests.assessments.conftest import build_course_tree  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, build_course_tree)


@pytest.fixture(scope="module")
def _sessions_once(request, django_db_setup, django_db_blocker):
    """tests/cohorts/conftest.py: sessions."""
    from tests.cohorts.conftest import build_sessions  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, build_sessions)


@pytest.fixture(scope="module")
def _demo_content_once(request, django_db_setup, django_db_blocker):
    """tests/conftest.py: demo_content."""
    from tests.conftest import load_demo_content  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, load_demo_content)


@pytest.fixture(scope="module")
def _demo_course_once(request, django_db_setup, django_db_blocker):
    """tests/courses/conftest.py: demo_course."""
    from tests.courses.conftest import load_demo_courses  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, load_demo_courses)


@pytest.fixture(scope="module")
def _population_once(request, django_db_setup, django_db_blocker):
    """tests/lms/conftest.py: population."""
    from tests.lms.conftest import load_demo_population  # cycle: see above

    yield from built_once_per_module(request, django_db_blocker, load_demo_population)
