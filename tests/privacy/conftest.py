from tests.courses.conftest import add_lesson, build_course, teacher  # noqa: F401
