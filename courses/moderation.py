"""Reads for submitting a course to moderation: which pages one submission takes, which lack required fields."""

from django.utils.html import strip_tags

from wagtail.models import Page, WorkflowState

from .models import CoursePage


def pages_to_submit(*, course: CoursePage, user) -> list[Page]:
    """The course and its descendants that one "submit the course for moderation" would submit: those with changes
    not yet published (or never published), not already in moderation, that `user` may submit. Tree order."""
    candidates = [course, *course.get_descendants().specific().order_by("path")]
    in_moderation = set(
        WorkflowState.objects.active()
        .filter(base_content_type_id=course.get_base_content_type().pk, object_id__in=[str(p.pk) for p in candidates])
        .values_list("object_id", flat=True)
    )
    return [
        page
        for page in candidates
        if (page.pk == course.pk or page.has_unpublished_changes or not page.live)
        and str(page.pk) not in in_moderation
        and _can_submit(page, user)
    ]


def _can_submit(page: Page, user) -> bool:
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() and permissions.can_submit_for_moderation()


def missing_required_fields(page: Page) -> list[str]:
    """The labels of the required fields of the page's edit form that are empty on `page` (a draft may have some)."""
    form_fields = page.get_edit_handler().get_form_class().base_fields
    missing = []
    for name, form_field in form_fields.items():
        if not form_field.required:
            continue
        if _is_empty(getattr(page, name, None)):
            missing.append(str(form_field.label or name))
    return missing


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        # An emptied rich text editor leaves an empty paragraph behind.
        return not strip_tags(value).strip() and "<embed" not in value and "<img" not in value
    if hasattr(value, "raw_data"):  # a StreamField
        return len(value) == 0
    return False


def incomplete_pages(pages: list[Page]) -> list[tuple[Page, list[str]]]:
    """The pages whose latest draft lacks required fields, with those fields' labels."""
    result = []
    for page in pages:
        missing = missing_required_fields(page.get_latest_revision_as_object())
        if missing:
            result.append((page, missing))
    return result
