"""Bulk enrolment: preview, all-or-nothing, encodings and delimiters, the command."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client

import pytest

from cohorts import services
from cohorts.models import Membership
from courses.models import Enrolment
from lms.models import User

from .conftest import csv_bytes, uai

pytestmark = pytest.mark.django_db

GOOD = [
    "Courriel;Nom;Prénom;UAI",
    "anne.martin@ac-toulouse.fr;Martin;Anne;{t1}",
    "bruno.leroy@ac-toulouse.fr;Leroy;Bruno;{t2}",
]


def good_file(sessions, **kw) -> bytes:
    t1, t2 = sessions.etabs["t1"].uai, sessions.etabs["t2"].uai
    return csv_bytes([line.format(t1=t1, t2=t2) for line in GOOD], **kw)


def test_a_good_file_creates_unconfirmed_accounts_and_enrols_everyone(
    sessions, make_user, mailoutbox, django_capture_on_commit_callbacks, academies
):
    existing = make_user("bruno.leroy@ac-toulouse.fr", academie=academies["Toulouse"], first_name="Bruno")
    raw = good_file(sessions)
    plan = services.plan_enrolment(session=sessions.session, raw=raw)
    assert [p.email for p in plan.created] == ["anne.martin@ac-toulouse.fr"]
    assert [p.user for p in plan.matched] == [existing]
    assert plan.refused == []
    assert not User.objects.filter(email="anne.martin@ac-toulouse.fr").exists()  # the preview wrote nothing

    with django_capture_on_commit_callbacks(execute=True):
        plan = services.enrol_participants(session=sessions.session, raw=raw, by=sessions.coordinator)
    assert plan.applied
    anne = User.objects.get(email="anne.martin@ac-toulouse.fr")
    assert (anne.first_name, anne.last_name) == ("Anne", "Martin")
    assert not anne.has_usable_password()
    assert anne.last_login is None and anne.email_confirmed_at is None
    assert anne.academie == academies["Toulouse"] and anne.academie_source == User.AcademieSource.MANAGER
    assert anne.establishment == sessions.etabs["t1"]
    key = sessions.course.translation_key
    for user in (anne, existing):
        enrolment = Enrolment.objects.get(user=user, course_key=key)
        assert Membership.objects.get(session=sessions.session, user=user).enrolment == enrolment
    # Only the new account is invited, with a link to choose a password.
    assert [m.to for m in mailoutbox] == [["anne.martin@ac-toulouse.fr"]]
    assert "IA en classe — Toulouse 2026" in mailoutbox[0].subject
    assert "/compte/mot-de-passe/nouveau/" in mailoutbox[0].body or "/password/new/" in mailoutbox[0].body

    # Following the invitation link and choosing a password confirms the address (the link proves the mailbox)
    # and keeps the académie the coordinator's file gave.
    link = re.search(r"https?://\S+/(?:compte/mot-de-passe/nouveau|password/new)/\S+/", mailoutbox[0].body).group(0)
    browser = Client()
    form_url = browser.get(urlsplit(link).path, follow=True).redirect_chain[-1][0]  # Django hides the token
    password = "Une-phrase-de-passe-2026"
    response = browser.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    anne.refresh_from_db()
    assert anne.check_password(password) and anne.email_confirmed_at is not None
    assert anne.academie == academies["Toulouse"] and anne.academie_source == User.AcademieSource.MANAGER

    # The same file again changes nothing: everybody is matched, already in the session.
    again = services.enrol_participants(session=sessions.session, raw=raw, by=sessions.coordinator)
    assert again.created == [] and all(p.already_member for p in again.matched)
    assert Membership.objects.filter(session=sessions.session).count() == 2


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ("carla@ac-toulouse.fr;Durand;Carla;0319001A", "UAI", "lettre"),
        ("pas-une-adresse;Durand;Carla;{t1}", "adresse", "n’est pas une adresse"),
        ("carla@ac-toulouse.fr;;Carla;{t1}", "nom", "vide"),
        ("carla@ac-toulouse.fr;Durand;Carla;{n1}", "UAI", "Nantes"),
        ("carla@ac-toulouse.fr;Durand;Carla;" + uai("0319999"), "UAI", "aucun établissement"),
        ("anne.martin@ac-toulouse.fr;Martin;Anne;{t1}", "adresse", "ligne 2"),
    ],
)
def test_one_bad_line_imports_nothing_and_names_the_line_and_field(sessions, line, field, reason):
    e = sessions.etabs
    lines = [*GOOD, line]
    raw = csv_bytes([x.format(t1=e["t1"].uai, t2=e["t2"].uai, n1=e["n1"].uai) for x in lines])
    plan = services.enrol_participants(session=sessions.session, raw=raw, by=sessions.coordinator)
    assert not plan.applied
    assert len(plan.refused) == 1
    message = str(plan.refused[0])
    assert message.startswith("Ligne 4, ")
    assert field.lower() in plan.refused[0].field.lower() or field in message
    assert reason.lower() in message.lower()
    assert not User.objects.filter(email__in=["anne.martin@ac-toulouse.fr", "bruno.leroy@ac-toulouse.fr"]).exists()
    assert not Membership.objects.exists() and not Enrolment.objects.exists()


def test_a_person_of_another_academie_is_refused(sessions, make_user, academies):
    make_user("anne.martin@ac-toulouse.fr", academie=academies["Nantes"])
    plan = services.enrol_participants(session=sessions.session, raw=good_file(sessions), by=sessions.coordinator)
    assert not plan.applied
    assert "autre académie" in str(plan.refused[0]) and str(plan.refused[0]).startswith("Ligne 2")


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ";", False), ("utf-8", ",", True), ("cp1252", ";", False), ("cp1252", ",", False)],
)
def test_encodings_and_delimiters(sessions, encoding, delimiter, bom):
    t1 = sessions.etabs["t1"].uai
    lines = [f"elodie.berard@ac-toulouse.fr{delimiter}Bérard{delimiter}Élodie{delimiter}{t1}"]  # no header line
    raw = csv_bytes(lines, encoding=encoding)
    if bom:
        raw = "\ufeff".encode() + raw
    plan = services.enrol_participants(session=sessions.session, raw=raw, by=sessions.coordinator)
    assert plan.refused == [] and plan.applied
    user = User.objects.get(last_name="Bérard")
    assert user.first_name == "Élodie"


def test_a_coordinator_of_another_academie_cannot_enrol(sessions):
    with pytest.raises(PermissionDenied):
        services.enrol_participants(session=sessions.session, raw=good_file(sessions), by=sessions.coordinator_nantes)
    assert not User.objects.filter(email="anne.martin@ac-toulouse.fr").exists()


def test_the_command_dry_run_then_real(sessions, tmp_path, capsys):
    path = tmp_path / "participants.csv"
    path.write_bytes(good_file(sessions, encoding="cp1252"))
    call_command("enrol_participants", str(sessions.session.pk), str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2" in out and not User.objects.filter(email="anne.martin@ac-toulouse.fr").exists()
    call_command("enrol_participants", str(sessions.session.pk), str(path))
    assert Membership.objects.filter(session=sessions.session).count() == 2


def test_the_command_fails_on_a_bad_file_and_imports_nothing(sessions, tmp_path):
    path = tmp_path / "participants.csv"
    path.write_bytes(good_file(sessions) + b"\r\nx@ac-toulouse.fr;X;Y;0319001A")
    with pytest.raises(CommandError, match="Ligne 4"):
        call_command("enrol_participants", str(sessions.session.pk), str(path))
    assert not Membership.objects.exists()
