from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wagtail.models import Page

from competencies.selectors import competency_profile, default_framework, profile_chart

from . import page_context, selectors, services, tracking
from .context import LearningContext
from .enrolments import enrolment_for
from .models import CoursePage, LessonPage


def serve_lesson(lesson: LessonPage, request, serve):
    """Record the view of an enrolled learner (GET only), then render the page."""
    course, module = selectors.course_and_module(lesson)
    structure = selectors.course_structure(course, request=request)
    enrolment = enrolment_for(user=request.user, course=course)
    competencies = selectors.lesson_competencies(lesson, request)  # once: for the page and the statement
    if enrolment is not None and request.method == "GET" and not getattr(request, "is_preview", False):
        learner = LearningContext(user=request.user, enrolment=enrolment, course=course, module=module)
        tracking.record_lesson_view(context=learner, lesson=lesson, competencies=competencies)
        enrolment.last_activity_key = lesson.translation_key
    progress = selectors.progress_for(enrolment=enrolment, structure=structure)
    request.lesson_context = page_context.lesson_context(
        lesson=lesson, course=course, module=module, structure=structure, progress=progress, competencies=competencies
    )
    return serve(request)


def _live_page(page_id: int) -> Page:
    page = get_object_or_404(Page.objects.live(), pk=page_id).specific
    return page


@login_required
@require_POST
def enrol(request, page_id: int):
    course = _live_page(page_id)
    if not isinstance(course, CoursePage):
        raise Http404
    services.enrol(user=request.user, course=course)
    structure = selectors.course_structure(course)
    first = structure.next_activity(None)
    messages.success(request, _("You are enrolled. Good learning!"))
    return redirect(first.page.url if first else course.url)


@login_required
@require_POST
def mark_done(request, page_id: int):
    lesson = _live_page(page_id)
    if not isinstance(lesson, LessonPage):
        raise Http404
    result = services.complete_activity(user=request.user, page=lesson)
    course, module = selectors.course_and_module(lesson)
    if result.course_completed:
        messages.success(
            request, _("Congratulations, you have completed the course “%(title)s”!") % {"title": course.title}
        )
    elif result.module_completed:
        messages.success(
            request,
            _("“%(lesson)s” is done, and so is the module “%(module)s”.")
            % {"lesson": lesson.title, "module": module.title},
        )
    else:
        messages.success(request, _("“%(lesson)s” is marked as done.") % {"lesson": lesson.title})
    nxt = selectors.course_structure(course).next_activity(lesson.translation_key)
    return redirect(nxt.page.url if nxt else course.url)


@login_required
@require_GET
def resume(request, course_key=None):
    """Continue where I left off: the last activity not yet done, or the next one."""
    target = selectors.resume_url(user=request.user, course_key=course_key, language=(get_language() or "fr")[:2])
    if target is None:
        messages.info(request, _("You are not enrolled in any course yet."))
        return redirect("courses:my_learning")
    return HttpResponseRedirect(target)


@login_required
@require_GET
def my_learning(request):
    language = (get_language() or "fr")[:2]
    rows = selectors.my_enrolments(user=request.user, language=language)
    for row in rows:
        if row["enrolment"].completed_at:
            row["attestation_url"] = reverse("reports:attestation", args=[row["enrolment"].course_key])
    framework = default_framework()
    profile = competency_profile(user=request.user, framework=framework) if framework else []
    leaves = [row for row in profile if row.item.depth > 1]
    chart = profile_chart(leaves)
    return render(
        request,
        "courses/my_learning.html",
        {
            "in_progress": [r for r in rows if not r["enrolment"].completed_at],
            "completed": [r for r in rows if r["enrolment"].completed_at],
            "framework": framework,
            "secured": sum(row.state == "secured" for row in leaves),
            "started": sum(row.state != "not_started" for row in leaves),
            "total": len(leaves),
            "chart": chart["squares"],
            "chart_width": chart["width"],
        },
    )
