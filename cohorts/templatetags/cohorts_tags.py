from django import template

from cohorts.selectors import learner_sessions

register = template.Library()


@register.inclusion_tag("cohorts/includes/learner_sessions.html", takes_context=True)
def my_training_sessions(context, course_key=None, with_trainer_link=False):
    """A participant's sessions (dates, places, trainers); on My learning, a link for the trainers too (the same
    query tells both: one query when the person has no session at all)."""
    user = context.get("user")
    sessions, followed = learner_sessions(user=user, course_key=course_key, with_followed=with_trainer_link)
    return {
        "sessions": sessions,
        "trainer_link": bool(with_trainer_link and followed),
        "suffix": "course" if course_key else "all",
    }
