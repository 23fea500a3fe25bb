"""The new personal tables are in the download and handled by erasure (docs/data-protection.md)."""

import pytest

from cohorts import services
from cohorts.models import Attendance, Membership, Reminder
from privacy.erasure import erase_user
from privacy.export import collect

pytestmark = pytest.mark.django_db


def test_download_and_erasure_cover_memberships_attendance_and_reminders(sessions, group):
    chloe = group["Chloé"]
    membership = Membership.objects.get(user=chloe)
    services.send_reminders(session=sessions.session, by=sessions.trainer)
    services.record_attendance(
        session=sessions.session,
        in_person_date=sessions.session.in_person_dates.get(),
        present_ids={membership.pk},
        by=sessions.trainer,
    )
    data = collect(chloe)
    assert [row["session_id"] for row in data["cohorts.Membership"]] == [sessions.session.pk]
    assert [row["present"] for row in data["cohorts.Attendance"]] == [True]
    assert len(data["cohorts.Reminder"]) == 1

    erase_user(user=chloe)
    assert Membership.objects.filter(pk=membership.pk).exists()  # kept for the figures, on the anonymous shell
    assert Attendance.objects.filter(membership=membership).exists() and Reminder.objects.filter(membership=membership)

    erase_user(user=sessions.trainer)
    assert not sessions.session.trainers.exists()  # an erased trainer is no longer named on the session
