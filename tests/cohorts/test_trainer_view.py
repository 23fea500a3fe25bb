"""The trainer's view: progress per module, not started / stuck, reminders (rate-limited, logged), attendance;
participants see their session on the course page and My learning."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts import selectors, services
from cohorts.models import Attendance, Reminder

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def participants_table(html: str) -> str:
    start = html.index('id="participants-caption"')
    return html[start : html.index("</table>", start)]


def test_group_view_statuses_and_progress_per_module(sessions, group):
    view = selectors.group_view(session=sessions.session, language="fr")
    status = {r.user.first_name: r.status for r in view.rows}
    assert status == {"Alice": "in_progress", "Bruno": "stuck", "Chloé": "not_started", "David": "not_started"}
    alice = next(r for r in view.rows if r.user.first_name == "Alice")
    module1, module2 = (m.key for m in view.structure.modules)
    assert alice.module_done[module1] == (2, 2) and alice.module_done[module2] == (0, 2)
    assert alice.percent == 50


def test_the_trainer_page_lists_the_group_and_filters(client, sessions, group, django_assert_max_num_queries):
    client.force_login(sessions.trainer)
    url = reverse("cohorts:detail", args=[sessions.session.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    html = response.content.decode()
    for name in ("Alice Avril", "Bruno Bernard", "Chloé Chevalier", "David Durand"):
        assert name in html
    assert "Module 1" in html and "2/2" in html
    assert "2 participants n’ont pas commencé." in html
    assert "Présence aux dates en présentiel" in html
    filtered = participants_table(client.get(url, {"statut": "not_started"}).content.decode())
    assert "Chloé Chevalier" in filtered and "David Durand" in filtered
    assert "Alice Avril" not in filtered and "Bruno Bernard" not in filtered
    stuck = participants_table(client.get(url, {"statut": "stuck"}).content.decode())
    assert "Bruno Bernard" in stuck and "Alice Avril" not in stuck
    # The trainer finds the page from My learning.
    assert url in client.get(reverse("cohorts:list")).content.decode()
    assert reverse("cohorts:list") in client.get(reverse("courses:my_learning")).content.decode()


def test_a_larger_group_costs_no_more_queries(client, sessions, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import csv_bytes

    client.force_login(sessions.trainer)
    url = reverse("cohorts:detail", args=[sessions.session.pk])
    client.get(url)  # caches (site, content types) warm
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    t2 = sessions.etabs["t2"].uai
    services.enrol_participants(
        session=sessions.session, raw=csv_bytes([f"p{i}@ac-toulouse.fr;P{i};Q;{t2}" for i in range(15)])
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Q P14" in response.content.decode()
    assert len(large) == len(small), "\n".join(q["sql"][:150] for q in large.captured_queries)


def test_reminders_go_to_those_who_have_not_started_once_per_24_hours(
    client, sessions, group, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(sessions.trainer)
    url = reverse("cohorts:remind", args=[sessions.session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Une relance a été envoyée à 2 participants." in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == ["chloe@ac-toulouse.fr", "david@ac-toulouse.fr"]
    assert "IA en classe — Toulouse 2026" in mailoutbox[0].subject
    assert Reminder.objects.filter(sent_by_label=f"#{sessions.trainer.pk}").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "2 participants ont déjà été relancés" in response.content.decode()
    assert len(mailoutbox) == 2 and Reminder.objects.count() == 2
    # A day later they may be reminded again.
    later = timezone.now() + dt.timedelta(hours=25)
    result = services.send_reminders(session=sessions.session, by=sessions.trainer, now=later)
    assert len(result.sent) == 2


def test_attendance_is_ticked_and_saved(client, sessions, group):
    client.force_login(sessions.trainer)
    date = sessions.session.in_person_dates.get()
    alice = sessions.session.memberships.get(user=group["Alice"])
    client.post(reverse("cohorts:attendance", args=[sessions.session.pk, date.pk]), {"present": [str(alice.pk)]})
    records = {a.membership.user.first_name: a.present for a in Attendance.objects.select_related("membership__user")}
    assert records == {"Alice": True, "Bruno": False, "Chloé": False, "David": False}
    html = client.get(reverse("cohorts:detail", args=[sessions.session.pk])).content.decode()
    assert f'value="{alice.pk}" id="present-{date.pk}-{alice.pk}" checked' in html


def test_participants_see_their_session_dates_places_and_trainer(client, sessions, group):
    alice = group["Alice"]
    alice.set_password(PASSWORD)
    alice.save()
    client.force_login(alice)
    for url in (sessions.course.url, reverse("courses:my_learning")):
        html = client.get(url).content.decode()
        assert "IA en classe — Toulouse 2026" in html
        assert "Claire Formatrice" in html
        assert "Canopé Toulouse, salle 2" in html
    # A participant is no trainer: the group's page is not theirs.
    assert client.get(reverse("cohorts:detail", args=[sessions.session.pk])).status_code == 404


def test_statements_carry_the_session_through_the_enrolment_registration(sessions, group):
    """docs/xapi.md: a participant's statements carry their enrolment's registration, which the membership links
    to the session; the LRS gets no session identifier."""
    from tests.courses.helpers import outbox_statements
    from xapi.actors import actor_for

    alice = group["Alice"]
    membership = sessions.session.memberships.get(user=alice)
    pseudonym = actor_for(alice)["account"]["name"]
    statements = [s for s in outbox_statements() if s["actor"]["account"]["name"] == pseudonym]
    assert len(statements) >= 3  # launched, two lessons completed, module completed...
    assert {s["context"]["registration"] for s in statements} == {str(membership.enrolment.registration)}
    assert sessions.session.title not in str(statements)
