"""Every role × every report view, export, filter and dashboard, with forged parameters."""

import io

from django.urls import reverse

import openpyxl
import pytest

from lms.models import Academie

VIEWS = [
    ("reports_admin:completions", {}),
    ("reports_admin:completions_export", {"fmt": "csv"}),
    ("reports_admin:completions_export", {"fmt": "xlsx"}),
    ("reports_admin:dashboard", {}),
    ("reports_admin:dashboard_export", {}),
    ("reports_admin:ai_literacy", {}),
    ("reports_admin:ai_literacy_export", {"fmt": "csv"}),
    ("reports_admin:ai_literacy_export", {"fmt": "xlsx"}),
]

NANTES_MARKERS = ("ac-nantes.fr", "Clemenceau", "Nantais")
TOULOUSE_MARKERS = ("ac-toulouse.fr", "Jaurès")


def body(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"PK"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
        )
    return data.decode("utf-8-sig")


def get(client, user, name, params):
    client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_teacher_gets_nothing(client, populated, name, params):
    response = get(client, populated.users["teacher"], name, params)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_coordinator_gets_nothing(client, populated, name, params):
    response = get(client, populated.users["coord"], name, params)
    # Wagtail turns PermissionDenied into a redirect to the admin home with a message
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not any(m in body(response) for m in (*NANTES_MARKERS, *TOULOUSE_MARKERS))


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_anonymous_is_sent_to_log_in(client, populated, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 302


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_toulouse_manager_sees_toulouse_only(client, populated, name, params):
    response = get(client, populated.users["manager_toulouse"], name, params)
    assert response.status_code == 200
    text = body(response)
    assert not any(m in text for m in NANTES_MARKERS)
    if name != "reports_admin:ai_literacy":
        assert "Jaurès" in text or "ac-toulouse.fr" in text or "Toulouse" in text


@pytest.mark.parametrize(("name", "params"), VIEWS)
@pytest.mark.parametrize("forged", ["academie", "establishment", "region"])
def test_forged_parameters_give_nothing_of_nantes(client, populated, name, params, forged):
    nantes = Academie.objects.get(name="Nantes")
    value = {"academie": nantes.pk, "establishment": populated.etabs["n1"].pk, "region": nantes.region_id}[forged]
    response = get(client, populated.users["manager_toulouse"], name, {**params, forged: value})
    assert response.status_code == 400
    text = body(response)
    assert not any(m in text for m in NANTES_MARKERS)


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_nantes_manager_sees_nantes_only(client, populated, name, params):
    response = get(client, populated.users["manager_nantes"], name, params)
    assert response.status_code == 200
    text = body(response)
    assert not any(m in text for m in TOULOUSE_MARKERS)


@pytest.mark.parametrize(("name", "params"), VIEWS)
def test_national_admin_sees_everything_and_can_narrow(client, populated, name, params):
    admin = populated.users["admin"]
    response = get(client, admin, name, params)
    assert response.status_code == 200
    text = body(response)
    if name not in ("reports_admin:ai_literacy", "reports_admin:dashboard_export", "reports_admin:dashboard"):
        assert "ac-nantes.fr" in text and "ac-toulouse.fr" in text
    nantes = Academie.objects.get(name="Nantes")
    response = get(client, admin, name, {**params, "academie": nantes.pk})
    assert response.status_code == 200
    # (the report page's filter lists every establishment a national admin may choose, Jaurès included)
    markers = ("ac-toulouse.fr",) if name == "reports_admin:completions" else ("ac-toulouse.fr", "Jaurès")
    assert not any(m in body(response) for m in markers)


def test_filter_choices_are_scoped(client, populated):
    response = get(client, populated.users["manager_toulouse"], "reports_admin:completions", {})
    html = response.content.decode()
    assert "Jaurès" in html and "Clemenceau" not in html
    assert f'value="{Academie.objects.get(name="Nantes").pk}"' not in html.split('id="f-course"')[0]


def test_report_rows_for_manager(client, populated):
    response = get(client, populated.users["manager_toulouse"], "reports_admin:completions", {})
    assert response.context["page_obj"].paginator.count == 11


def test_export_job_download_is_the_owners_only(client, populated, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_SYNC_EXPORT_LIMIT = 2
    manager = populated.users["manager_toulouse"]
    with django_capture_on_commit_callbacks(execute=True):
        response = get(client, manager, "reports_admin:completions_export", {"fmt": "csv"})
    assert response.status_code == 302
    job_url = response["Location"]
    from reports.models import ExportJob

    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows_done == 11  # ImmediateBackend in tests
    page = client.get(job_url)
    assert reverse("reports_admin:job_download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("reports_admin:job_download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "ac-toulouse.fr" in text and "ac-nantes.fr" not in text
    for other in ("manager_nantes", "admin"):
        client.force_login(populated.users[other])
        assert client.get(reverse("reports_admin:job_download", args=[job.pk])).status_code == 404
        assert client.get(job_url).status_code == 404


def test_job_rescopes_when_it_runs(populated):
    """A job stored with a forged académie does not export it."""
    from reports import services
    from reports.models import ExportJob

    nantes = Academie.objects.get(name="Nantes")
    job = ExportJob.objects.create(
        user=populated.users["manager_toulouse"], fmt="csv", params={"academie": str(nantes.pk)}
    )
    with pytest.raises(Exception, match="Académie inconnue"):
        services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file_name


def test_job_page_shows_progress_while_running(client, populated):
    from reports.models import ExportJob

    manager = populated.users["manager_toulouse"]
    job = ExportJob.objects.create(user=manager, fmt="xlsx", status="running", rows_done=50, rows_total=200)
    client.force_login(manager)
    html = client.get(reverse("reports_admin:job", args=[job.pk])).content.decode()
    assert '<progress max="100" value="25"' in html and 'http-equiv="refresh"' in html
    assert reverse("reports_admin:job_download", args=[job.pk]) not in html
    assert client.get(reverse("reports_admin:job_download", args=[job.pk])).status_code == 404
