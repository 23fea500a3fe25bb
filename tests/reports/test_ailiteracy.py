"""The AI-literacy training record: completed trainings only, scoped, with the Article 4 note."""

import csv
import io

from django.urls import reverse

import openpyxl

from courses.models import Enrolment
from reports import services


def test_record_lists_completions_with_attestation_codes(client, populated):
    enrolment = Enrolment.objects.get(user__email="t1-0@ac-toulouse.fr")
    attestation = services.issue_attestation(enrolment=enrolment)
    client.force_login(populated.users["manager_toulouse"])
    response = client.get(reverse("reports_admin:ai_literacy_export"), {"fmt": "xlsx"})
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6  # the six completions in Toulouse; unfinished enrolments are not listed
    by_email = {r[2]: r for r in rows}
    assert by_email["t1-0@ac-toulouse.fr"][10] == attestation.code
    assert by_email["t1-1@ac-toulouse.fr"][10] is None
    assert "1.1 Usage éthique" in by_email["t1-0@ac-toulouse.fr"][11]
    assert ws.freeze_panes == "A2"
    note = wb["Note"]["A1"].value
    assert "2024/1689" in note and "article 4" in note.lower() and "certificat" in note


def test_record_date_range_is_on_completion(client, populated):
    client.force_login(populated.users["admin"])
    response = client.get(
        reverse("reports_admin:ai_literacy_export"), {"fmt": "csv", "from": "2026-10-01", "to": "2026-10-01"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r[2] for r in rows[1:]} == {f"n1-{i}@ac-nantes.fr" for i in range(3)}


def test_menu_items_follow_the_scope(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    assert reverse("reports_admin:completions") in client.get("/admin/").content.decode()
    client.force_login(populated.users["coord"])
    assert reverse("reports_admin:completions") not in client.get("/admin/").content.decode()
