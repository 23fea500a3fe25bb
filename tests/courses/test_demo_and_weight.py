"""The demo course as shipped: complete in both languages, sourced, and light enough for a slow connection."""

import gzip
import re
from pathlib import Path

from django.conf import settings

from courses import demo
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import content_key

BUDGET = 60 * 1024  # bytes transferred on a first visit, compressed, media excluded

# demo_course (tests/courses/conftest.py): the demo courses, loaded (twice) once for the module.


def test_every_demo_course_is_complete_in_both_languages(demo_course):
    assert demo_course.live
    for data in demo.course_data():
        courses = {
            c.locale.language_code: c
            for c in CoursePage.objects.filter(translation_key=content_key(data["course"]["key"]))
        }
        assert set(courses) == {"fr", "en"}, data["course"]["key"]
        block_types = {}
        for locale, course in courses.items():
            assert ModulePage.objects.child_of(course).count() == len(data["modules"])
            lessons = LessonPage.objects.descendant_of(course).order_by("path")
            assert lessons.count() == sum(len(m["lessons"]) for m in data["modules"]) >= 6
            for lesson in lessons:
                types = [block.block_type for block in lesson.body]
                assert {"case_study", "prompt_exercise", "references"} <= set(types), lesson.title
                assert lesson.facts_checked_on and lesson.facts_checked_against
                assert lesson.competencies.exists()
            block_types[locale] = [[b.block_type for b in lesson.body] for lesson in lessons]
        assert block_types["fr"] == block_types["en"], data["course"]["key"]


def test_the_new_courses_have_two_cases_and_a_classroom_sheet_per_lesson(demo_course):
    first_course = set()
    for course in CoursePage.objects.filter(translation_key=demo_course.translation_key):
        first_course |= set(LessonPage.objects.descendant_of(course).values_list("pk", flat=True))
    others = LessonPage.objects.live().exclude(pk__in=first_course)
    assert others.count() >= 4 * 6 * 2
    for lesson in others:
        types = [block.block_type for block in lesson.body]
        assert types.count("case_study") >= 2 and "classroom_sheet" in types, lesson.title


def _static_assets(html: str) -> list[Path]:
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    return [Path(settings.BASE_DIR) / "static" / url.removeprefix("/static/") for url in urls]


def test_every_lesson_page_weighs_under_60_kb_on_a_first_visit(client, demo_course):
    heaviest = 0
    for lesson in LessonPage.objects.live():
        response = client.get(lesson.url)
        html = response.content
        assert b"<script" not in html
        assets = _static_assets(html.decode())
        assert assets, "the stylesheet should be found"
        total = len(gzip.compress(html)) + sum(len(gzip.compress(path.read_bytes())) for path in assets)
        heaviest = max(heaviest, total)
        assert total < BUDGET, (lesson.title, total)
    print(f"heaviest lesson page, first visit, gzip: {heaviest} bytes")
