import pytest

from tests.courses.conftest import add_lesson, build_course, teacher  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives each test's database rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
