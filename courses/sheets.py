"""Classroom sheets printed on their own: one block of a live lesson on a page of its own, without the site's frame."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import LessonPage


def classroom_sheet(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live().select_related("locale"), pk=page_id)
    for restriction in lesson.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    block = next((b for b in lesson.body if b.id == block_id and b.block_type == "classroom_sheet"), None)
    if block is None:
        raise Http404
    url = lesson.get_url(request=request)  # relative on a single site; the platform's public address in front
    address = url if url.startswith("http") else settings.PLATFORM_BASE_URL.rstrip("/") + url
    return render(
        request, "courses/classroom_sheet.html", {"lesson": lesson, "block": block, "lesson_address": address}
    )
