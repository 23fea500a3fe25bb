"""cohorts' personal data: memberships of training sessions, attendance, reminders, and the trainers named."""

from lms.personal_data import ACCOUNT, ErasureStep, PersonalData, register


def erase(user) -> dict[str, int]:
    """A trainer named on training sessions is no longer named (memberships, attendance and reminders stay, on the
    anonymous shell)."""
    count = user.training_sessions_as_trainer.count()
    user.training_sessions_as_trainer.clear()
    return {"cohorts.TrainingSession.trainers": count}


register(
    PersonalData(
        app_label="cohorts",
        tables=("cohorts.Membership", "cohorts.Attendance", "cohorts.Reminder"),
        erasure=[ErasureStep(ACCOUNT + 10, erase)],
    )
)
