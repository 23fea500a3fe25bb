from django import template

from cohorts.models import TrainingSession
from cohorts.selectors import learner_sessions

register = template.Library()


@register.inclusion_tag("cohorts/includes/learner_sessions.html", takes_context=True)
def my_training_sessions(context, course_key=None, with_trainer_link=False):
    """A participant's sessions (dates, places, trainers); on My learning, a link for the trainers too."""
    user = context.get("user")
    trainer_link = bool(
        with_trainer_link
        and user is not None
        and user.is_authenticated
        and TrainingSession.objects.filter(trainers=user).exists()
    )
    return {
        "sessions": learner_sessions(user=user, course_key=course_key),
        "trainer_link": trainer_link,
        "suffix": "course" if course_key else "all",
    }
