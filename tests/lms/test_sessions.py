"""Sessions keep an inactivity timeout without a database write on every request (lms/sessions.py, issue #16)."""

import datetime as dt

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from lms.roles import COORDINATORS, TEACHERS
from lms.sessions import REFRESHED_AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def teacher(make_user):
    return make_user(email="prof.session@ac-toulouse.fr", role=TEACHERS)


def session_writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_pages_within_the_refresh_interval_do_not_write_the_session(client, teacher, db_sessions, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    client.force_login(teacher)
    client.get(reverse("courses:my_learning"))  # the first page refreshes (and remembers the menu's admin link)
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 200
    assert session_writes(captured) == []
    assert "sessionid" not in response.cookies  # nothing new to tell the browser
    assert Session.objects.get(session_key=key).expire_date == expiry


def test_a_page_after_the_interval_moves_the_expiry_forward(client, teacher, db_sessions, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    client.force_login(teacher)
    client.get(reverse("courses:my_learning"))
    session = client.session
    session[REFRESHED_AT] -= 301  # the last refresh, as if it was more than five minutes ago
    session.save()
    soon = timezone.now() + dt.timedelta(minutes=1)
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 200
    assert "sessionid" in response.cookies
    assert Session.objects.get(session_key=session.session_key).expire_date > soon + dt.timedelta(hours=7)


def test_the_administration_link_follows_a_new_role_at_the_next_refresh(client, teacher, db_sessions, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    client.force_login(teacher)
    assert "Administration" not in client.get(reverse("courses:my_learning")).content.decode()
    teacher.groups.add(Group.objects.get(name=COORDINATORS))
    # Remembered until the next refresh: no permission query on every page...
    assert "Administration" not in client.get(reverse("courses:my_learning")).content.decode()
    session = client.session
    session[REFRESHED_AT] -= 301
    session.save()
    # ...the next page after the interval asks again.
    assert ">Administration<" in client.get(reverse("courses:my_learning")).content.decode()


def test_anonymous_visitors_get_no_session(client, db_sessions):
    response = client.get("/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
