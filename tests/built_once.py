"""Test data built once per test module instead of once per test (issue #14): see built_once_per_module."""

import copy
from collections.abc import Callable, Iterator

from django.db import transaction

import pytest
from pytest_django.fixtures import validate_django_db


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker and validate_django_db(marker)[0]) or bool(
        fixtures & {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
    )


def built_once_per_module(request: pytest.FixtureRequest, django_db_blocker, build: Callable[[], object]) -> Iterator:
    """The body of a module-scoped fixture: `build()` runs once for the test module, inside a transaction rolled back
    at the module's end; each test runs in its own savepoint on top (pytest-django's `db`), so what a test writes is
    gone for the next one. Yields what `build()` returned; tests take a deep copy (`per_test`), as Django's
    setUpTestData does. In a module with a transactional test (which must commit), yields None: build per test."""
    module_items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    if any(_transactional(i) for i in module_items):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def per_test(built):
    """A test's own copy of data built once (its model instances are the test's to change)."""
    return copy.deepcopy(built)
