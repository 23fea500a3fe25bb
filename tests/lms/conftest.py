"""The demo population (lms.demo_population) on top of the demo accounts, courses and quizzes."""

import pytest

from lms import demo as lms_demo
from lms import demo_population
from tests.built_once import per_test
from tests.conftest import load_demo_content


def load_demo_population() -> int:
    """The demo accounts, courses, quizzes and generated learners; returns the number of learners."""
    lms_demo.load()
    load_demo_content()
    return demo_population.load()


@pytest.fixture
def population(_population_once, db):  # db: named, so that pytest-django orders the test as a database one
    """The demo with its generated learners: loaded once per module when its tests can share it
    (tests/built_once.py), else per test."""
    return load_demo_population() if _population_once is None else per_test(_population_once)
