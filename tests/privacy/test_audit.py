"""Accountability: viewing and exporting personal data in reports is logged; exports ask for the password again."""

from django.urls import reverse

from lms.audit import AuditEntry
from tests.reports.conftest import world  # noqa: F401


def test_report_views_and_exports_are_audited_and_exports_need_a_fresh_password(client, world):  # noqa: F811
    manager = world.users["manager_toulouse"]
    manager.set_password("mot-de-passe-gestion")
    manager.save()
    client.force_login(manager)
    report = reverse("reports_admin:completions")
    assert client.get(report, {"status": "completed"}).status_code == 200
    view = AuditEntry.objects.get(action="report_view")
    assert view.actor == manager and view.detail["status"] == "completed" and view.row_count is not None

    export = reverse("reports_admin:completions_export")
    response = client.get(export, {"fmt": "csv"})
    assert response.status_code == 302 and response.url.startswith(reverse("privacy:confirm_password"))
    assert not AuditEntry.objects.filter(action="report_export").exists()
    response = client.post(response.url, {"password": "mot-de-passe-gestion", "next": f"{export}?fmt=csv"})
    response = client.get(response.url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    entry = AuditEntry.objects.get(action="report_export")
    assert entry.actor == manager and entry.detail["report"] == "completions" and entry.detail["format"] == "csv"
    # The log is for national administrators: a manager cannot read it.
    assert client.get("/admin/privacy_audit/").status_code in {302, 403}
    client.force_login(world.users["admin"])
    page = client.get("/admin/privacy_audit/").content.decode()
    assert f"#{manager.pk}" in page
