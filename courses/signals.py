from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, workflow_approved

from competencies.models import CompetencyItem, Framework
from lms.models import User

from . import learning_sessions, services
from .permissions import sync_academy_groups
from .sitecache import new_generation


@receiver(user_logged_out, dispatch_uid="courses.end_sessions_on_logout")
def end_learning_sessions(sender, request, user, **kwargs) -> None:
    """Log-out ends the learner's open learning sessions (xAPI `terminated`)."""
    if user is not None:
        learning_sessions.end_sessions(user=user)


@receiver(workflow_approved, dispatch_uid="courses.approve_course_subtree")
def approve_course_subtree(sender, instance, user=None, **kwargs) -> None:
    """Approving a course submitted with its subtree approves the pages submitted with it."""
    if user is not None:
        services.approve_course_subtree(state=instance, user=user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses.academy_groups_on_save")
def academy_groups_follow_the_academie(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A coordinator's académie group follows their académie (`courses.permissions.sync_academy_groups`)."""
    if update_fields is None or "academie" in update_fields:
        sync_academy_groups(instance)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="courses.academy_groups_on_role")
def academy_groups_follow_the_role(sender, instance, action, reverse, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse and isinstance(instance, User):
        sync_academy_groups(instance)


def _forget_structures(**kwargs) -> None:
    """A page changed: a new content generation (`courses.sitecache`) now, and again once the change is committed
    (what was cached meanwhile, from the data before the change, is then never read)."""
    new_generation()
    transaction.on_commit(new_generation)


@receiver(post_save, dispatch_uid="courses.structure_on_page_save")
@receiver(post_delete, dispatch_uid="courses.structure_on_page_delete")
def page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page | PageViewRestriction | Site | CompetencyItem | Framework):
        _forget_structures()


@receiver(page_published, dispatch_uid="courses.structure_on_publish")
@receiver(page_unpublished, dispatch_uid="courses.structure_on_unpublish")
@receiver(post_page_move, dispatch_uid="courses.structure_on_move")
def page_published_unpublished_or_moved(sender, **kwargs) -> None:
    _forget_structures()
