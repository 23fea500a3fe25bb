from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from wagtail.signals import workflow_approved


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
