from django.contrib import messages
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import admin_views, selectors
from .models import CoursePage
from .permissions import hidden_drafts_for


@hooks.register("register_admin_urls")
def register_submit_course_url():
    return [path("parcours/<int:page_id>/soumettre/", admin_views.submit_course, name="courses_submit_course")]


class SubmitCourseButton(PageMenuItem):
    label = gettext_lazy("Submit the course for moderation")
    icon_name = "resubmit"
    priority = 25

    @property
    def url(self):
        return reverse("courses_submit_course", args=[self.page.pk])

    def is_shown(self, user):
        permissions = self.page.permissions_for_user(user)
        return permissions.can_edit() and permissions.can_submit_for_moderation()


def _submit_course_buttons(page, user):
    if page.specific_class is CoursePage and page.get_workflow() is not None:
        yield SubmitCourseButton(page=page)


@hooks.register("register_page_header_buttons")
def submit_course_header_button(page, user, view_name, next_url=None):
    yield from _submit_course_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def submit_course_listing_button(page, user, next_url=None):
    yield from _submit_course_buttons(page, user)


@hooks.register("after_copy_page")
def remember_course_origin(request, page, new_page):
    """A copied course (an académie adapting a national one) remembers the course it comes from."""
    if isinstance(new_page.specific, CoursePage):
        origin = page.specific
        copy = new_page.specific
        copy.copied_from_key = origin.copied_from_key or origin.translation_key
        copy.save(update_fields=["copied_from_key"])
        # Keep the copy's draft in step, so publishing it later keeps the link.
        if copy.latest_revision is not None:
            copy.save_revision(user=request.user, log_action=False)


@hooks.register("competencies_framework_page")
def lessons_by_competency(*, request, framework):
    """On a framework's public page: the published lessons (in the visitor's language) that develop each item."""
    from django.utils.translation import get_language

    from .models import LessonPage

    language = (get_language() or "fr")[:2]
    through = LessonPage.competencies.through
    lessons = {
        lesson.pk: lesson
        for lesson in LessonPage.objects.live().public().filter(locale__language_code=language).order_by("path")
    }
    links: dict[int, list[tuple[str, str]]] = {}
    rows = through.objects.filter(competencyitem__framework=framework, lessonpage_id__in=list(lessons)).values_list(
        "competencyitem_id", "lessonpage_id"
    )
    for item_id, lesson_id in sorted(rows, key=lambda r: lessons[r[1]].path):
        lesson = lessons[lesson_id]
        links.setdefault(item_id, []).append((lesson.title, lesson.get_url(request=request)))
    return links


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_missing_required_fields(request, page):
    """Wagtail saves a draft even when required fields are empty (they are checked on publish and submission only):
    say which ones are missing, so the author is not surprised later."""
    if "action-publish" in request.POST or "action-submit" in request.POST:
        return
    missing = selectors.missing_required_fields(page)
    if missing:
        messages.warning(
            request,
            gettext("Draft saved, but these required fields are empty: %(fields)s. Fill them in before publishing.")
            % {"fields": ", ".join(capfirst(label) for label in missing)},
        )


@hooks.register("construct_page_chooser_queryset")
def hide_other_academies_drafts_in_choosers(pages, request):
    """The page chooser lists every page of the site: not the unpublished pages of another académie (titles
    included). The explorer and the admin search already list only the pages one may act on."""
    hidden = hidden_drafts_for(request.user)
    return pages if hidden is None else pages.exclude(hidden)


@hooks.register("construct_explorer_page_queryset")
def hide_other_academies_drafts_in_explorer(parent_page, pages, request):
    hidden = hidden_drafts_for(request.user)
    return pages if hidden is None else pages.exclude(hidden)
