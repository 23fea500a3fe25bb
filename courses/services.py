"""Writes of the learner's journey. Each writes its xAPI statements to the outbox in the same transaction."""

import uuid
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page, WorkflowState

from competencies.evidence import EvidenceInput, record_evidence_bulk
from competencies.models import EvidenceKind
from lms import roles
from lms.models import Academie, User
from xapi import vocabulary as v
from xapi.outbox import enqueue

from . import permissions, statements
from . import progress as rule
from .context import LearningContext
from .learning_sessions import open_session
from .models import ActivityProgress, CataloguePage, CoursePage, Enrolment, HomePage, LessonPage
from .moderation import incomplete_pages, pages_to_submit
from .selectors import course_and_module, course_structure


@transaction.atomic
def enrol(*, user, course: CoursePage) -> Enrolment:
    """Enrol once (a double click enrols once); the organisation is recorded as it is today."""
    enrolment, created = Enrolment.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        defaults={"academie_id": user.academie_id, "establishment_id": user.establishment_id},
    )
    if created:
        open_session(context=LearningContext(user=user, enrolment=enrolment, course=course))
    return enrolment


@dataclass
class CompletionResult:
    enrolment: Enrolment
    newly_completed: bool
    module_completed: bool = False
    course_completed: bool = False
    statements: list[dict] = field(default_factory=list)


@transaction.atomic
def complete_activity(
    *, user, page: Page, score: float | None = None, context: LearningContext | None = None
) -> CompletionResult:
    """Mark a lesson or quiz done for the learner (keyed on its translation_key), then its module and course.

    Idempotent: completing twice changes nothing but keeps the best score. A module or course, once completed,
    stays completed even if lessons are added later. `context`: the learner's, in its session, when the caller has
    it already (a quiz's submission), so that it is not read again; the rule comes from the cached course structure.
    Enrols the learner when needed (a lesson marked done before enrolling).
    """
    page = page.specific
    if context is not None:
        course, module = context.course, context.module
    else:
        course, module = course_and_module(page)
    if course is None or module is None:
        raise ValueError("Only lessons and quizzes inside a course module can be completed.")
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(**({"pk": context.enrolment.pk} if context else {"user": user, "course_key": course.translation_key}))
        .first()
    )
    if enrolment is None:
        enrolment = enrol(user=user, course=course)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    now = timezone.now()
    kind = ActivityProgress.Kind.LESSON if isinstance(page, LessonPage) else ActivityProgress.Kind.QUIZ
    progress, _ = ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity_key=page.translation_key, defaults={"kind": kind}
    )
    if score is not None and (progress.score is None or score > progress.score):
        progress.score = score
    result = CompletionResult(enrolment=enrolment, newly_completed=progress.completed_at is None)
    if progress.completed_at is None:
        progress.completed_at = now
    progress.save()
    enrolment.last_activity_key = page.translation_key
    enrolment.last_activity_at = now
    if not result.newly_completed:
        enrolment.save(update_fields=["last_activity_key", "last_activity_at"])
        return result

    if isinstance(page, LessonPage):
        record_evidence_bulk(
            user=user,
            entries=[
                EvidenceInput(
                    item=pk, source_key=str(page.translation_key), kind=EvidenceKind.ACTIVITY, occurred_at=now
                )
                for pk in page.competencies.values_list("pk", flat=True)
            ],
        )
    if context is None or context.session is None:
        context = open_session(context=LearningContext(user=user, enrolment=enrolment, course=course), now=now)
    context = replace(context, enrolment=enrolment)
    course_rule = course_structure(course).rule or rule.course_rule(course.translation_key)
    done = set(
        ActivityProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "activity_key", flat=True
        )
    )
    pending: list[dict] = []
    module_row, _ = ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity_key=module.translation_key, defaults={"kind": ActivityProgress.Kind.MODULE}
    )
    if module_row.completed_at is None:
        module_done = course_rule.module_complete(module.translation_key, done)
        module_percent = course_rule.module_percent(module.translation_key, done, completed=module_done)
        pending.append(
            statements.progressed(context, target=module, target_type=v.MODULE, percent=module_percent, when=now)
        )
        if module_done:
            module_row.completed_at = now
            module_row.save(update_fields=["completed_at"])
            seconds = (now - module_row.first_seen_at).total_seconds()
            pending.append(
                statements.completed(context, target=module, target_type=v.MODULE, seconds=seconds, when=now)
            )
            result.module_completed = True
    if enrolment.completed_at is None:
        course_done = course_rule.course_complete(done)
        percent = course_rule.percent(done, completed=course_done)
        pending.append(statements.progressed(context, target=course, target_type=v.COURSE, percent=percent, when=now))
        if course_done:
            enrolment.completed_at = now
            seconds = (now - enrolment.enrolled_at).total_seconds()
            pending.append(
                statements.completed(context, target=course, target_type=v.COURSE, seconds=seconds, when=now)
            )
            result.course_completed = True
    enrolment.save(update_fields=["last_activity_key", "last_activity_at", "completed_at"])
    enqueue(pending)
    result.statements = pending
    return result


# --- Catalogues and authoring permissions ---

CATALOGUE_NAMESPACE = uuid.UUID("6f1b7f4e-2f55-4b7e-9a43-3c1c1f0c9b10")


def content_key(name: str) -> uuid.UUID:
    """A stable translation key for pages created by commands and the demo."""
    return uuid.uuid5(CATALOGUE_NAMESPACE, name)


def _catalogue_in(lang: str, *, key: uuid.UUID, title: str, slug: str, intro: str, academie) -> CataloguePage:
    locale = Locale.objects.get(language_code=lang)
    existing = CataloguePage.objects.filter(translation_key=key, locale=locale).first()
    if existing is not None:
        return existing
    home = HomePage.objects.get(locale=locale)
    page = CataloguePage(title=title, slug=slug, intro=intro, academie=academie, translation_key=key, locale=locale)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def setup_national_catalogue() -> list[CataloguePage]:
    """The national catalogue in French and English: the national editors author it, coordinators may propose."""
    key = content_key("catalogue-national")
    pages = [
        _catalogue_in(
            "fr",
            key=key,
            title="Catalogue national",
            slug="catalogue",
            intro="<p>Les formations proposées à tous les personnels, partout en France.</p>",
            academie=None,
        ),
        _catalogue_in(
            "en",
            key=key,
            title="National catalogue",
            slug="catalogue",
            intro="<p>Courses open to all staff, everywhere in France.</p>",
            academie=None,
        ),
    ]
    permissions.grant_national(pages)
    return pages


@transaction.atomic
def setup_academy(*, academie: Academie) -> tuple[list[CataloguePage], Group]:
    """An académie's catalogue (FR + EN) and the group of its coordinators, who may edit only that subtree.

    Idempotent. Coordinators already attached to the académie join the group.
    """
    key = content_key(f"catalogue-{academie.code}")
    slug = slugify(f"academie {academie.name}")
    pages = [
        _catalogue_in(
            "fr",
            key=key,
            title=f"Catalogue de l'académie de {academie.name}",
            slug=slug,
            intro=f"<p>Les formations de l'académie de {academie.name}, dont les adaptations des parcours nationaux.</p>",
            academie=academie,
        ),
        _catalogue_in(
            "en",
            key=key,
            title=f"Académie de {academie.name} catalogue",
            slug=slug,
            intro=f"<p>Courses of the académie de {academie.name}, including adaptations of national courses.</p>",
            academie=academie,
        ),
    ]
    group, _ = Group.objects.get_or_create(name=permissions.academy_group_name(academie))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        # Translate the pages of the catalogue (simple_translation also checks the page may be edited).
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation"),
    )
    permissions.grant_subtree(group, pages)
    permissions.grant_media(group)
    coordinators = User.objects.filter(academie=academie, groups__name=roles.COORDINATORS)
    group.user_set.add(*coordinators)
    return pages, group


class NothingToSubmit(Exception):
    pass


class IncompletePages(Exception):
    """Some pages lack required fields: a moderator could not approve them."""

    def __init__(self, pages: list[tuple[Page, list[str]]]):
        super().__init__(pages)
        self.pages = pages


@transaction.atomic
def submit_course_for_moderation(*, course: CoursePage, user: User) -> list[Page]:
    """Start the moderation workflow, in one action, on the course and every draft page below it (see
    `moderation.pages_to_submit`). Approving the course then approves them too (`approve_course_subtree`)."""
    pages = pages_to_submit(course=course, user=user)
    workflow = course.get_workflow()
    if workflow is None or not pages:
        raise NothingToSubmit
    incomplete = incomplete_pages(pages)
    if incomplete:
        raise IncompletePages(incomplete)
    for page in pages:
        page_workflow = page.get_workflow()
        if page_workflow is None:
            continue
        if page.latest_revision is None:
            page.save_revision(user=user, log_action=False)
        page_workflow.start(page, user)
    return pages


def approve_course_subtree(*, state: WorkflowState, user: User) -> list[Page]:
    """The course's moderation was approved: approve the pages of its subtree submitted with it (by the same person,
    since the course was submitted) where `user` may approve them. Their own workflows publish them."""
    course = getattr(state.content_object, "specific", None)  # the workflow state holds the base Page
    if not isinstance(course, CoursePage):
        return []
    descendants = {str(p.pk): p for p in course.get_descendants().specific()}
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type_id=state.base_content_type_id,
            object_id__in=list(descendants),
            requested_by_id=state.requested_by_id,
            created_at__gte=state.created_at,
        )
        .select_related("current_task_state__task")
        .order_by("created_at")
    )
    approved = []
    for descendant_state in states:
        page = descendants[descendant_state.object_id]
        while descendant_state.status == WorkflowState.STATUS_IN_PROGRESS and descendant_state.current_task_state:
            task_state = descendant_state.current_task_state.specific
            task = task_state.task.specific
            if "approve" not in {action[0] for action in task.get_actions(page, user)}:
                break
            task.on_action(task_state, user, "approve")
            descendant_state.refresh_from_db()
        else:
            approved.append(page)
    return approved
