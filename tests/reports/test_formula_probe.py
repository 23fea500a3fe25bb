"""The formula probe: dangerous values (=, +, -, @, tab, carriage return, line feed first) written through every
file the platform makes for a spreadsheet come out inert, all through the one writer (``lms.spreadsheets``)."""

import csv
import io
import zipfile

from django.urls import reverse

import openpyxl
import pytest

from courses.models import Enrolment
from lms.models import User
from lms.scoping import scope_for
from lms.spreadsheets import DANGEROUS_PREFIXES, neutralise
from privacy.export import export_user_data
from reports import selectors, services

PROBE = {"=": "=1+1", "+": "+33612345678", "-": "-2+3", "@": "@SUM(A1)", "\t": "\tTab", "\r": "\rCR", "\n": "\nLF"}


def test_the_probe_covers_every_dangerous_prefix():
    assert set(PROBE) == set(DANGEROUS_PREFIXES)
    assert {neutralise(v) for v in PROBE.values()} == {"'" + v for v in PROBE.values()}


@pytest.fixture
def probed(populated):
    """A completed learner whose names start with a line feed and a minus sign (the others are in `populated`)."""
    User.objects.filter(email="t1-0@ac-toulouse.fr").update(first_name=PROBE["\n"], last_name=PROBE["-"])
    User.objects.filter(email="t1-1@ac-toulouse.fr").update(first_name=PROBE["\r"], last_name=PROBE["="])
    services.issue_attestation(enrolment=Enrolment.objects.get(user__email="t1-0@ac-toulouse.fr"))
    return populated


def assert_all_inert(cells: list) -> set[str]:
    texts = {c for c in cells if isinstance(c, str)}
    for cell in texts:
        assert not cell or cell[0] not in DANGEROUS_PREFIXES, repr(cell)
    return texts


def csv_cells(data: bytes, delimiter: str = ",") -> list[str]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=delimiter) for cell in row]


def xlsx_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for cell in row]


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("url_name", "params", "kind"),
    [
        ("reports_admin:completions_export", {"fmt": "csv"}, "csv"),
        ("reports_admin:completions_export", {"fmt": "csv", "sep": "semicolon"}, "csv;"),
        ("reports_admin:completions_export", {"fmt": "xlsx"}, "xlsx"),
        ("reports_admin:ai_literacy_export", {"fmt": "csv"}, "csv"),
        ("reports_admin:ai_literacy_export", {"fmt": "csv", "sep": "semicolon"}, "csv;"),
        ("reports_admin:ai_literacy_export", {"fmt": "xlsx"}, "xlsx"),
        ("reports_admin:dashboard_export", {}, "csv"),
        ("reports_admin:dashboard_export", {"sep": "semicolon"}, "csv;"),
    ],
)
def test_every_report_download_is_inert(client, probed, url_name, params, kind):
    client.force_login(probed.users["admin"])
    data = body(client.get(reverse(url_name), params))
    cells = xlsx_cells(data) if kind == "xlsx" else csv_cells(data, ";" if kind == "csv;" else ",")
    texts = assert_all_inert(cells)
    if url_name != "reports_admin:dashboard_export":  # the dashboard shows no names
        assert "'" + PROBE["\n"] in texts and "'" + PROBE["-"] in texts
    else:
        assert any(t.startswith("'=HYPERLINK") for t in texts)  # an establishment's name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_background_export_jobs_are_inert(probed, fmt, settings, tmp_path):
    settings.REPORTS_EXPORT_DIR = str(tmp_path)
    for kind in ("completions", "ai_literacy"):
        job = services.start_export_job(user=probed.users["admin"], kind=kind, fmt=fmt, params={})
        services.run_job(job_id=job.pk)
        job.refresh_from_db()
        data = (tmp_path / job.file_name).read_bytes()
        texts = assert_all_inert(xlsx_cells(data) if fmt == "xlsx" else csv_cells(data))
        assert "'" + PROBE["\n"] in texts


def test_the_data_download_csvs_are_inert(probed):
    user = User.objects.get(email="t1-0@ac-toulouse.fr")
    with zipfile.ZipFile(io.BytesIO(export_user_data(user=user))) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        assert names
        texts = set()
        for name in names:
            texts |= assert_all_inert(csv_cells(archive.read(name)))
    assert "'" + PROBE["\n"] in texts and "'" + PROBE["-"] in texts


@pytest.mark.postgres
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_postgresql_copy_path_is_inert(probed, delimiter):
    out = io.BytesIO()
    scope = scope_for(probed.users["admin"])
    services.export_completions(
        scope=scope, filters=selectors.ReportFilters(), fmt="csv", out=out, delimiter=delimiter, use_copy=True
    )
    texts = assert_all_inert(csv_cells(out.getvalue(), delimiter))
    assert "'" + PROBE["\n"] in texts and "'" + PROBE["-"] in texts
