"""The demo course as shipped: complete in both languages, sourced, and light enough for a slow connection."""

import gzip
import re
from pathlib import Path

from django.conf import settings

import pytest

from courses import demo
from courses.models import CoursePage, LessonPage, ModulePage

BUDGET = 60 * 1024  # bytes transferred on a first visit, compressed, media excluded


@pytest.fixture
def demo_course(db):
    demo.load()
    demo.load()  # loading twice changes nothing
    return CoursePage.objects.get(locale__language_code="fr")


def test_demo_course_is_complete_in_both_languages(demo_course):
    en = CoursePage.objects.get(locale__language_code="en")
    assert en.translation_key == demo_course.translation_key
    for locale in ("fr", "en"):
        assert ModulePage.objects.filter(locale__language_code=locale).count() == 3
        lessons = LessonPage.objects.filter(locale__language_code=locale)
        assert lessons.count() == 9
        for lesson in lessons:
            types = [block.block_type for block in lesson.body]
            assert {"case_study", "prompt_exercise", "references"} <= set(types), lesson.title
            assert lesson.facts_checked_on and lesson.facts_checked_against
            assert lesson.competencies.exists()
    fr_types = [
        [b.block_type for b in lesson.body]
        for lesson in LessonPage.objects.filter(locale__language_code="fr").order_by("path")
    ]
    en_types = [
        [b.block_type for b in lesson.body]
        for lesson in LessonPage.objects.filter(locale__language_code="en").order_by("path")
    ]
    assert fr_types == en_types


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
