"""Least privilege: trainer × own/other session, coordinator × own/other académie, learners see no group."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from cohorts import selectors, services
from cohorts.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_selectors(sessions, make_user):
    s, other = sessions.session, sessions.other_session
    assert list(selectors.followed_sessions(sessions.trainer)) == [s]
    assert list(selectors.followed_sessions(sessions.other_trainer)) == [other]
    assert list(selectors.managed_sessions(sessions.coordinator)) == [s]
    assert list(selectors.managed_sessions(sessions.trainer)) == []
    assert list(selectors.followed_sessions(make_user("x@ac-toulouse.fr"))) == []


@pytest.mark.parametrize("name", ["detail", "remind", "attendance"])
def test_a_trainer_reaches_only_their_own_session(client, sessions, name):
    client.force_login(sessions.trainer)
    for session, expected in ((sessions.session, {200, 302}), (sessions.other_session, {404})):
        if name == "attendance":
            date = sessions.session.in_person_dates.get()
            response = client.post(reverse("cohorts:attendance", args=[session.pk, date.pk]), {"present": []})
        elif name == "remind":
            response = client.post(reverse("cohorts:remind", args=[session.pk]))
        else:
            response = client.get(reverse("cohorts:detail", args=[session.pk]))
        assert response.status_code in expected, (session, response.status_code)
    listing = client.get(reverse("cohorts:list")).content.decode()
    assert sessions.session.title in listing and sessions.other_session.title not in listing


def test_services_refuse_another_trainer(sessions):
    with pytest.raises(PermissionDenied):
        services.send_reminders(session=sessions.session, by=sessions.other_trainer)
    date = sessions.session.in_person_dates.get()
    with pytest.raises(PermissionDenied):
        services.record_attendance(
            session=sessions.session, in_person_date=date, present_ids=set(), by=sessions.other_trainer
        )


def test_anonymous_visitors_are_sent_to_log_in(client, sessions):
    response = client.get(reverse("cohorts:detail", args=[sessions.session.pk]))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_coordinator_admin_is_scoped_to_their_academie(client, sessions):
    client.force_login(sessions.coordinator)
    index = client.get(reverse("training_sessions:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert sessions.session.title in html and sessions.other_session.title not in html
    assert client.get(reverse("training_sessions:edit", args=[sessions.session.pk])).status_code == 200
    for name in ("edit", "delete", "history"):
        response = client.get(reverse(f"training_sessions:{name}", args=[sessions.other_session.pk]))
        assert response.status_code in (302, 403), (name, response.status_code)
    assert client.get(reverse("cohorts_participants", args=[sessions.session.pk])).status_code == 200
    assert client.get(reverse("cohorts_participants", args=[sessions.other_session.pk])).status_code == 404


def test_a_trainer_or_teacher_has_no_session_admin(client, sessions):
    client.force_login(sessions.trainer)
    response = client.get(reverse("cohorts_participants", args=[sessions.session.pk]))
    assert response.status_code in (302, 403, 404)


def test_coordinator_creates_a_session_for_their_academie_only(client, sessions, academies):
    client.force_login(sessions.coordinator)
    form = client.get(reverse("training_sessions:add")).content.decode()
    assert "Claire Formatrice" in form and "Yann Nantais" not in form  # trainers of the académie only
    data = {
        "title": "Nouvelle session",
        "academie": academies["Nantes"].pk,  # ignored: a coordinator's sessions are their académie's
        "course": sessions.course.pk,
        "gaia_dispositif": "26A0160002",
        "gaia_module": "",
        "gaia_session": "",
        "starts_on": "2027-01-10",
        "ends_on": "2027-02-10",
        "format": "distance",
        "trainers": [sessions.trainer.pk],
        "in_person_dates-TOTAL_FORMS": "0",
        "in_person_dates-INITIAL_FORMS": "0",
        "in_person_dates-MIN_NUM_FORMS": "0",
        "in_person_dates-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("training_sessions:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = TrainingSession.objects.get(title="Nouvelle session")
    assert created.academie == academies["Toulouse"]
    assert list(created.trainers.all()) == [sessions.trainer]
    # A trainer of another académie cannot be slipped in.
    data["title"] = "Autre"
    data["trainers"] = [sessions.other_trainer.pk]
    response = client.post(reverse("training_sessions:add"), data)
    assert response.status_code == 200 and not TrainingSession.objects.filter(title="Autre").exists()


def test_the_upload_preview_and_confirm_without_javascript(
    client, sessions, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import csv_bytes

    client.force_login(sessions.coordinator)
    url = reverse("cohorts_participants", args=[sessions.session.pk])
    t1 = sessions.etabs["t1"].uai
    bad = csv_bytes(
        [f"anne@ac-toulouse.fr;Martin;Anne;{t1}", "bob@ac-toulouse.fr;Leroy;Bob;0319001A"], encoding="cp1252"
    )
    html = client.post(url, {"file": SimpleUploadedFile("p.csv", bad)}).content.decode()
    assert "Ligne 2, UAI" in html and "Confirmer" not in html
    good = csv_bytes([f"anne@ac-toulouse.fr;Martin;Anne;{t1}"], encoding="cp1252")
    html = client.post(url, {"file": SimpleUploadedFile("p.csv", good)}).content.decode()
    assert "compte créé" in html and "Confirmer : créer les comptes et inscrire tout le monde" in html
    assert not sessions.session.memberships.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1", "text": f"anne@ac-toulouse.fr;Martin;Anne;{t1}"}, follow=True)
    assert "1 compte créé, 0 compte existant retrouvé" in response.content.decode()
    assert sessions.session.memberships.get().user.email == "anne@ac-toulouse.fr"
    assert mailoutbox[0].to == ["anne@ac-toulouse.fr"]


def test_the_completion_report_filters_and_shows_the_session(client, sessions, group, make_user, academies):
    from lms.roles import ACADEMY_MANAGERS
    from lms.scoping import scope_for
    from reports import completions
    from reports.forms import parse_filters
    from reports.selectors import FilterError

    manager = make_user("gestion@ac-toulouse.fr", role=ACADEMY_MANAGERS, academie=academies["Toulouse"])
    outsider = make_user("hors-session@ac-toulouse.fr", academie=academies["Toulouse"])
    from courses.services import enrol

    enrol(user=outsider, course=sessions.course)
    scope = scope_for(manager)
    filters = parse_filters({"session": str(sessions.session.pk)}, scope=scope)
    rows = list(completions.completion_rows(scope=scope, filters=filters).values("email", "session_title"))
    assert sorted(r["email"] for r in rows) == sorted(u.email for u in group.values())
    assert {r["session_title"] for r in rows} == {"IA en classe — Toulouse 2026"}
    everyone = completions.completion_rows(scope=scope).values_list("email", "session_title")
    assert ("hors-session@ac-toulouse.fr", "") in list(everyone)
    with pytest.raises(FilterError):  # another académie's session is not a filter a Toulouse manager may use
        parse_filters({"session": str(sessions.other_session.pk)}, scope=scope)
    client.force_login(manager)
    html = client.get("/admin/academy-reports/completions/", {"session": sessions.session.pk}).content.decode()
    assert "Session de formation" in html and "IA en classe — Toulouse 2026" in html
    assert "IA en classe — Nantes 2026" not in html
