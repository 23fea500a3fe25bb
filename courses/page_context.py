"""The template context of the learner's course pages (catalogue, course, module, lesson), read through the
selectors; a preview shows drafts and a sample progress state."""

from decimal import Decimal

from competencies.models import CompetencyItem

from .enrolments import enrolment_for
from .models import CataloguePage, CoursePage, LessonPage, ModulePage
from .selectors import (
    Module,
    Progress,
    Structure,
    course_and_module,
    course_structure,
    lesson_competencies,
    preview_progress,
    progress_for,
)


def catalogue_context(*, catalogue: CataloguePage, request) -> dict:
    courses = (
        CoursePage.objects.child_of(catalogue).live().prefetch_related("competencies__framework").order_by("title")
    )
    competency = request.GET.get("competence", "")
    max_hours = request.GET.get("duree", "")
    if competency.isdigit():
        courses = courses.filter(competencies__id=int(competency)).distinct()
    if max_hours:
        try:
            courses = courses.filter(estimated_hours__lte=Decimal(max_hours.replace(",", ".")))
        except ArithmeticError:
            max_hours = ""
    tagged = CompetencyItem.objects.filter(
        pk__in=CoursePage.competencies.through.objects.filter(
            coursepage__in=CoursePage.objects.child_of(catalogue).live()
        ).values("competencyitem_id")
    ).order_by("path")
    return {
        "courses": list(courses),
        "has_courses": CoursePage.objects.child_of(catalogue).live().exists(),
        "competency_choices": list(tagged),
        "selected_competency": competency,
        "max_hours": max_hours,
        "duration_choices": [2, 4, 6, 10, 20],
    }


def course_context(*, course: CoursePage, user, preview: bool = False, request=None) -> dict:
    """The course page's context. A preview shows drafts too and a sample progress state, and reads no enrolment."""
    structure = course_structure(course, include_drafts=preview, request=request)
    if preview:
        progress = preview_progress(structure=structure)
        return {"structure": structure, "enrolment": progress.enrolment, "progress": progress, "preview": True}
    enrolment = enrolment_for(user=user, course=course)
    return {
        "structure": structure,
        "enrolment": enrolment,
        "progress": progress_for(enrolment=enrolment, structure=structure),
        "course_competencies": list(course.competencies.select_related("framework").order_by("path")),
    }


def module_context(*, module: ModulePage, user, preview: bool = False, request=None) -> dict:
    course = module.get_parent().specific
    context = course_context(course=course, user=user, preview=preview, request=request)
    context["course"] = course
    structure = context["structure"]
    context["module_info"] = structure.module_of(module.translation_key) or Module(
        page=module, key=module.translation_key
    )
    keys = [m.key for m in structure.modules]
    position = keys.index(module.translation_key) if module.translation_key in keys else None
    context["next_module"] = (
        structure.modules[position + 1] if position is not None and position + 1 < len(keys) else None
    )
    context["module_completed"] = module.translation_key in context["progress"].done
    return context


def lesson_context(
    *,
    lesson: LessonPage,
    course: CoursePage,
    module: ModulePage,
    structure: Structure,
    progress: Progress,
    competencies: list | None = None,
) -> dict:
    return {
        "course": course,
        "module": module,
        "structure": structure,
        "enrolment": progress.enrolment,
        "progress": progress,
        "next_activity": structure.next_activity(lesson.translation_key),
        "lesson_done": progress.is_done(lesson.translation_key),
        "competencies": lesson_competencies(lesson) if competencies is None else competencies,
    }


def lesson_preview_context(*, lesson: LessonPage) -> dict:
    """A lesson's preview: its course and module (drafts included) with a sample progress state; nothing recorded."""
    course, module = course_and_module(lesson)
    structure = course_structure(course, include_drafts=True)
    progress = preview_progress(structure=structure, current_key=lesson.translation_key)
    context = lesson_context(lesson=lesson, course=course, module=module, structure=structure, progress=progress)
    context["preview"] = True
    return context
