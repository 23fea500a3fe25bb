"""A bare Wagtail page with a lesson's body: the baseline of bench/bench_pages.py (no tracking, no course context)."""

from django.db import models

from wagtail.fields import StreamField
from wagtail.models import Page

from courses.blocks import LessonStreamBlock


class BenchPage(Page):
    summary = models.CharField(max_length=400, blank=True)
    body = StreamField(LessonStreamBlock())
    estimated_minutes = models.PositiveIntegerField(default=20)

    template = "benchpages/bench_page.html"
