"""Demo content: the national catalogue and its courses, in French and English.

Every `courses/content/*.json` file is one course (demo_course.json first, then the others by name); the format is
described in docs/courses.md. Translation keys are uuid5 of the content keys, so reloading finds the same pages (and
quizzes can find modules), and keys must be unique across all the files.
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from competencies.models import CompetencyItem, Framework
from lms.models import Academie

from .models import CoursePage, LessonPage, ModulePage
from .services import content_key, setup_academy, setup_national_catalogue

CONTENT_DIR = Path(__file__).parent / "content"
CONTENT = CONTENT_DIR / "demo_course.json"
DEMO_ACADEMIES = ("16", "11", "17")  # Toulouse, Montpellier, Nantes


def _block(block: dict) -> dict:
    value = block["value"]
    if block["type"] == "prompt_exercise":
        value = {
            "title": value["title"],
            "task": value["try"],
            "observe": value["observe"],
            "reminder": value.get("reminder", ""),
        }
    elif block["type"] == "references":
        value = [
            {"source": r["source"], "date": r["date"], "url": r.get("url", ""), "note": r.get("note", "")}
            for r in value
        ]
    return {"type": block["type"], "value": value}


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _add(parent: Page, page: Page, *, key: uuid.UUID, locale: Locale, competencies: list[CompetencyItem]) -> Page:
    """A new page is created tagged, with one revision; an existing one is only retagged if its tags changed."""
    existing = Page.objects.filter(translation_key=key, locale=locale).first()
    if existing is not None:
        existing = existing.specific
        _tag(existing, competencies)
        return existing
    page.translation_key = key
    page.locale = locale
    page.competencies = competencies
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def content_files() -> list[Path]:
    """The course files, the first demo course first (its first module holds the positioning quiz)."""
    others = sorted(p for p in CONTENT_DIR.glob("*.json") if p != CONTENT)
    return [CONTENT, *others]


def course_data() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in content_files()]


@contextmanager
def references_indexed_once() -> Iterator[None]:
    """Wagtail rebuilds an object's reference index (the admin's "used by" lists) after each of its saves, and a page
    or question is saved three or four times while it is created and published. Inside this block the rebuilds wait:
    each object saved (a child row counts for its parent) is indexed once at the end, as it then is, in the order of
    its last save; an object deleted meanwhile is removed from the index at once, as Wagtail does."""
    saved: dict[tuple[type, object], None] = {}

    def remember(sender, instance, raw=False, **kwargs):
        if raw or sender not in ReferenceIndex.tracked_models:
            return
        while keys := [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]:
            instance = getattr(instance, keys[0].name)
            if instance is None:
                return
        key = (type(instance), instance.pk)
        saved.pop(key, None)
        saved[key] = None

    def forget(sender, instance, **kwargs):
        if sender in ReferenceIndex.tracked_models:
            saved.pop((sender, instance.pk), None)
            ReferenceIndex.remove_for_object(instance)
            ReferenceIndex.remove_references_to(instance)

    post_save.connect(remember, weak=False)
    post_delete.connect(forget, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(remember)
        post_delete.disconnect(forget)
    for model, pk in saved:
        instance = model.objects.filter(pk=pk).first()
        if instance is not None and ReferenceIndex.is_indexed(model):
            ReferenceIndex.create_or_update_for_object(instance)


@transaction.atomic
def load() -> None:
    with references_indexed_once():
        _load()


def _load() -> None:
    framework = Framework.objects.get(code="unesco-aicft-2024")
    items = {i.code: i for i in CompetencyItem.objects.filter(framework=framework)}
    catalogues = {c.locale.language_code: c for c in setup_national_catalogue()}
    for academie in Academie.objects.filter(code__in=DEMO_ACADEMIES):
        setup_academy(academie=academie)
    for data in course_data():
        _load_course(data, catalogues=catalogues, items=items)


def _load_course(data: dict, *, catalogues: dict, items: dict[str, CompetencyItem]) -> None:
    course_data = data["course"]
    for lang in ("fr", "en"):
        locale = Locale.objects.get(language_code=lang)
        catalogue = catalogues[lang]
        c = course_data[lang]
        course = _add(
            catalogue,
            CoursePage(
                title=c["title"],
                slug=c["slug"],
                summary=c["summary"],
                objectives=_ul(c["objectives"]),
                audience=c["audience"],
                prerequisites=c["prerequisites"],
                estimated_hours=course_data["estimated_hours"],
                gaia_identifier=course_data.get("gaia_identifier", ""),
                licence=data["licence"],
                credits=f"<p>{data['credits'][lang]}</p>",
            ),
            key=content_key(course_data["key"]),
            locale=locale,
            competencies=[items[code] for code in course_data["competencies"]],
        )
        for m in data["modules"]:
            module = _add(
                course,
                ModulePage(
                    title=m[lang]["title"],
                    slug=m[lang]["slug"],
                    intro=m[lang]["intro"],
                    estimated_minutes=m["estimated_minutes"],
                ),
                key=content_key(m["key"]),
                locale=locale,
                competencies=[items[code] for code in m["competencies"]],
            )
            for lesson_data in m["lessons"]:
                text = lesson_data[lang]
                _add(
                    module,
                    LessonPage(
                        title=text["title"],
                        slug=text["slug"],
                        summary=text["summary"][:400],
                        body=[_block(b) for b in text["body"]],
                        estimated_minutes=lesson_data["estimated_minutes"],
                        facts_checked_on=dt.date.fromisoformat(lesson_data["facts_checked_on"]),
                        facts_checked_against="\n".join(lesson_data["facts_checked_against"]),
                    ),
                    key=content_key(lesson_data["key"]),
                    locale=locale,
                    competencies=[items[code] for code in lesson_data["competencies"]],
                )


def _tag(page: Page, wanted: list[CompetencyItem]) -> None:
    if {i.pk for i in page.competencies.all()} != {i.pk for i in wanted}:
        page.competencies.set(wanted)
        page.save_revision().publish()
