from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver


@receiver(user_logged_out, dispatch_uid="courses.end_sessions_on_logout")
def end_learning_sessions(sender, request, user, **kwargs) -> None:
    """Log-out ends the learner's open learning sessions (xAPI `terminated`)."""
    if user is not None:
        from .services import end_sessions

        end_sessions(user=user)
