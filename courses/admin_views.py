"""Administration views of the courses app (registered in wagtail_hooks)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from wagtail.contrib.simple_translation.views import SubmitPageTranslationView

from . import moderation, services
from .models import CoursePage


@require_http_methods(["GET", "POST"])
def submit_course(request, page_id: int):
    """Submit a course and every draft page below it for moderation in one action, after a confirmation listing them."""
    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    pages = moderation.pages_to_submit(course=course, user=request.user)
    if request.method == "POST":
        try:
            submitted = services.submit_course_for_moderation(course=course, user=request.user)
        except services.IncompletePages as error:
            messages.error(
                request,
                _("Nothing was submitted. Fill in the required fields first: %(pages)s.")
                % {"pages": "; ".join(f"{page.title} ({', '.join(fields)})" for page, fields in error.pages)},
            )
        except services.NothingToSubmit:
            messages.error(
                request, _("Nothing to submit: the course and its pages are published or already in moderation.")
            )
        else:
            messages.success(
                request,
                ngettext(
                    "“%(title)s” was submitted for moderation with %(count)d page.",
                    "“%(title)s” was submitted for moderation with %(count)d pages.",
                    len(submitted),
                )
                % {"title": course.title, "count": len(submitted)},
            )
        return redirect(reverse("wagtailadmin_explore", args=[course.pk]))
    return TemplateResponse(
        request,
        "courses/admin/submit_course.html",
        {
            "course": course,
            "pages": pages,
            "incomplete": moderation.incomplete_pages(pages),
            "has_workflow": course.get_workflow() is not None,
        },
    )


class TranslatePageView(SubmitPageTranslationView):
    """Wagtail's "Translate" with one more check: a translation is a new page beside the original, so translating
    needs the right to add pages there, not only to edit the original. A coordinator may edit a national page (to
    propose a change, through moderation) but not add national pages, so they translate their own académie's pages
    only (docs/permissions.md)."""

    def get_object(self):
        page = super().get_object()
        parent = page.get_parent()
        if parent is None or not parent.permissions_for_user(self.request.user).can_add_subpage():
            raise PermissionDenied
        return page
