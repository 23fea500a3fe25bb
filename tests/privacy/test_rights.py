"""Learners' rights: download everything, erase for good while the figures stay right."""

import html
import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.urls import reverse

import pytest

from courses.models import Enrolment
from lms.audit import AuditEntry
from privacy.erasure import erase_user
from privacy.inventory import personal_models
from privacy.retention import apply_retention
from xapi.models import OutboxStatement, XapiPseudonym

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def active_learner(client, build_course, teacher):
    """A learner with activity in every app: enrolment, progress, evidence, statements."""
    c = build_course(n_modules=1, n_lessons=2, translate=False)
    from competencies.models import CompetencyItem

    lesson = c["lessons"][0]
    lesson.competencies.set([CompetencyItem.objects.get(code="2.2", framework__code="unesco-aicft-2024")])
    lesson.save()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.get(lesson.url)
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    teacher.first_name, teacher.last_name = "Camille", "Durand-Lefebvre"
    teacher.save()
    return teacher


def test_every_model_holding_personal_data_is_in_the_inventory(db):
    inventory = (ROOT / "docs" / "data-protection.md").read_text(encoding="utf-8")
    missing = [p.label for p in personal_models() if f"`{p.label}`" not in inventory]
    assert missing == [], f"add these tables to docs/data-protection.md: {missing}"


def test_download_my_data_needs_the_password_and_contains_everything(client, active_learner):
    url = reverse("privacy:my_data")
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": "wrong"})
    assert response.status_code == 200 and "Ce n'est pas votre mot de passe" in html.unescape(response.content.decode())
    response = client.post(url, {"password": PASSWORD})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"index.html", "data.json"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["lms.User"][0]["email"] == active_learner.email
    assert "password" not in data["lms.User"][0]
    assert len(data["courses.Enrolment"]) == 1
    assert len([r for r in data["courses.ActivityProgress"] if r["kind"] == "lesson"]) == 2
    assert data["competencies.Evidence"][0]["kind"] == "activity"
    statements = data["xapi.OutboxStatement (statements about you)"]
    assert {s["verb"] for s in statements} >= {"http://adlnet.gov/expapi/verbs/launched"}
    assert statements[0]["payload"]["actor"]["account"]["name"] == data["xapi.XapiPseudonym"][0]["pseudonym"]
    index = archive.read("index.html").decode()
    assert active_learner.email in index and "csv/inscriptions.csv" in index
    assert "csv/inscriptions.csv" in names
    assert AuditEntry.objects.filter(action="data_export", subject_id=active_learner.pk).exists()


def test_download_is_rate_limited(client, active_learner):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert client.post(reverse("privacy:my_data"), {"password": PASSWORD}).status_code == 200
    assert client.post(reverse("privacy:my_data"), {"password": PASSWORD}).status_code == 429


def _everything_as_text() -> str:
    """Every text-like value of every table, for searching."""
    from django.db import models

    chunks = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.BinaryField | models.EmailField
            )
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("utf-8", "replace")
                chunks.append(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
    return "\n".join(chunks)


def test_erasure_leaves_no_trace_and_keeps_the_figures(client, active_learner):
    email, pseudonym = active_learner.email, XapiPseudonym.objects.get(user=active_learner).pseudonym
    completions_before = Enrolment.objects.filter(completed_at__isnull=False).count()
    month = Enrolment.objects.get().completed_at.month
    everything = _everything_as_text()
    assert email in everything and pseudonym in everything and "Durand-Lefebvre" in everything

    url = reverse("privacy:delete_account")
    assert client.post(url, {"password": PASSWORD}).status_code == 200  # the confirmation box is required
    response = client.post(url, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    everything = _everything_as_text()
    for needle in (email, pseudonym, "Durand-Lefebvre", "Camille"):
        assert needle not in everything, needle
    assert not XapiPseudonym.objects.exists() and not OutboxStatement.objects.exists()
    # Aggregates stay right: the erased learner still counts, anonymously.
    assert Enrolment.objects.filter(completed_at__isnull=False, completed_at__month=month).count() == completions_before
    # They can no longer log in.
    assert client.post(reverse("login"), {"username": email, "password": PASSWORD}).status_code == 200
    actions = list(AuditEntry.objects.filter(subject_id=active_learner.pk).values_list("action", flat=True))
    assert sorted(actions) == ["erasure_completed", "erasure_requested"]


def test_an_administrator_processes_an_erasure_request(client, active_learner, make_user):
    admin = make_user(email="dpo@ac-toulouse.fr", role="Administrateurs nationaux")
    client.force_login(admin)
    url = reverse("privacy_erase", args=[active_learner.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"password": "wrong"}).status_code == 400
    assert client.post(url, {"password": PASSWORD}).status_code == 400  # the person's e-mail must be typed
    assert client.post(url, {"password": PASSWORD, "confirm_email": active_learner.email}).status_code == 302
    active_learner.refresh_from_db()
    assert not active_learner.is_active and active_learner.email.endswith("@invalid")
    entry = AuditEntry.objects.get(action="erasure_completed")
    assert entry.actor == admin
    teacher_client = client
    teacher_client.force_login(make_user(email="x@ac-toulouse.fr", role="Enseignants"))
    assert teacher_client.get(url).status_code in {302, 403}


def test_retention_dry_run_then_real_run(active_learner, mailoutbox):
    import datetime as dt

    from django.utils import timezone

    from lms.models import User

    long_ago = timezone.now() - dt.timedelta(days=800)
    User.objects.filter(pk=active_learner.pk).update(last_login=long_ago)
    OutboxStatement.objects.update(state="sent", sent_at=long_ago)
    dry = apply_retention(dry_run=True)
    assert dry.warned == 1 and dry.statements_purged > 0
    assert OutboxStatement.objects.exists() and not mailoutbox
    real = apply_retention()
    assert real.warned == 1 and len(mailoutbox) == 1 and not OutboxStatement.objects.exists()
    active_learner.refresh_from_db()
    assert active_learner.is_active and active_learner.retention_warned_at
    # 31 days after the warning, still no log-in: anonymised.
    later = timezone.now() + dt.timedelta(days=31)
    assert apply_retention(now=later).anonymised == 1
    active_learner.refresh_from_db()
    assert not active_learner.is_active and active_learner.email.endswith("@invalid")


def test_retention_command_prints_a_summary(db, capsys):
    from django.core.management import call_command

    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out and "statements purged: 0" in out


def test_sensitive_actions_ask_for_the_password_again(rf, client, teacher):
    from django.http import HttpResponse

    from lms.reauth import recent_password_required

    @recent_password_required
    def export(request):
        return HttpResponse("exported")

    client.force_login(teacher)
    confirm = reverse("privacy:confirm_password")
    response = client.get(confirm, {"next": "https://evil.example/steal"})
    assert response.context["next"] == "/"  # never redirect off-site
    response = client.post(confirm, {"password": "wrong", "next": "/apprendre/"})
    assert response.status_code == 200
    response = client.post(confirm, {"password": PASSWORD, "next": "/apprendre/"})
    assert response.status_code == 302 and response.url == "/apprendre/"
    request = rf.get("/rapport/export/")
    request.user = teacher
    request.session = client.session
    assert export(request).content == b"exported"
    request.session = {}
    assert export(request).status_code == 302


def test_a_large_history_is_exported_in_the_background(
    client, active_learner, settings, django_capture_on_commit_callbacks
):
    from privacy.models import DataExport

    settings.PRIVACY_SYNC_EXPORT_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:my_data"), {"password": PASSWORD})
    export = DataExport.objects.get()
    assert response.url == reverse("privacy:data_export", args=[export.token])
    page = client.get(response.url).content.decode()
    assert "Votre archive est prête" in page
    download = client.get(response.url, {"telecharger": "1"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert json.loads(archive.read("data.json"))["lms.User"][0]["email"] == active_learner.email
    # Nobody else can follow or download it.
    from lms.models import User

    client.force_login(User.objects.create_user(email="autre@ac-toulouse.fr", password=PASSWORD))
    assert client.get(response.url, {"telecharger": "1"}).status_code == 404
    # Erasure removes the archive too.
    erase_user(user=active_learner)
    assert not DataExport.objects.exists()
