from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from wagtail.signals import workflow_approved

from lms.models import User

from .permissions import sync_academy_groups


@receiver(user_logged_out, dispatch_uid="courses.end_sessions_on_logout")
def end_learning_sessions(sender, request, user, **kwargs) -> None:
    """Log-out ends the learner's open learning sessions (xAPI `terminated`)."""
    if user is not None:
        from .services import end_sessions

        end_sessions(user=user)


@receiver(workflow_approved, dispatch_uid="courses.approve_course_subtree")
def approve_course_subtree(sender, instance, user=None, **kwargs) -> None:
    """Approving a course submitted with its subtree approves the pages submitted with it."""
    if user is not None:
        from .services import approve_course_subtree

        approve_course_subtree(state=instance, user=user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses.academy_groups_on_save")
def academy_groups_follow_the_academie(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A coordinator's académie group follows their académie (`courses.permissions.sync_academy_groups`)."""
    if update_fields is None or "academie" in update_fields:
        sync_academy_groups(instance)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="courses.academy_groups_on_role")
def academy_groups_follow_the_role(sender, instance, action, reverse, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse and isinstance(instance, User):
        sync_academy_groups(instance)
