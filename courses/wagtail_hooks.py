from wagtail import hooks

from .models import CoursePage


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
