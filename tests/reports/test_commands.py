"""The export commands: good runs, and bad arguments with a clear message and a non-zero exit status."""

import csv
import io
import subprocess
import sys

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

import openpyxl
import pytest


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_csv_for_one_academy(populated, tmp_path):
    target = tmp_path / "toulouse.csv"
    _out, err = run("export_completions", "--academy", "16", "--format", "csv", "-o", str(target))
    assert "11/11" in err and "11 rows" in err
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 12
    assert all("ac-toulouse.fr" in r[2] for r in rows[1:])


def test_export_xlsx_by_course_and_dates(populated, tmp_path):
    target = tmp_path / "out.xlsx"
    run(
        "export_completions",
        "--course",
        "26A0160001",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    ws = openpyxl.load_workbook(target).worksheets[0]
    emails = {row[2] for row in ws.iter_rows(min_row=2, values_only=True)}
    # completed in October: 6 in t1, 3 in n1 (the Toulouse copy's learners enrolled in November)
    assert len(emails) == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--academy", "99"], "Unknown académie code"),
        (["--course", "00000000-0000-0000-0000-000000000000"], "Unknown course"),
        (["--course", "NOPE"], "Unknown course"),
        (["--from", "2026-13-01"], "pas une date"),
        (["--from", "yesterday"], "pas une date"),
        (["--from", "2026-10-02", "--to", "2026-10-01"], "date de début est postérieure"),
    ],
)
def test_bad_arguments_raise_a_clear_error(populated, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("export_completions", *args, "--format", "csv", "-o", str(tmp_path / "x.csv"))


def test_bad_arguments_exit_non_zero(tmp_path):
    """Through the real command line: message on stderr, exit status 1."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_completions",
            "--format",
            "csv",
            "--from",
            "31/12/2026",
            "-o",
            str(tmp_path / "x.csv"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        check=False,
    )
    assert result.returncode != 0
    assert "31/12/2026" in result.stderr and "pas une date" in result.stderr  # French by default
    result = subprocess.run(
        [sys.executable, "manage.py", "export_completions", "--format", "pdf", "-o", str(tmp_path / "x.csv")],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_monthly_reports_written_and_mailed(populated, tmp_path):
    out, _err = run(
        "export_monthly_reports", "--month", "2026-10", "--dir", str(tmp_path), "--academy", "16", "--academy", "17"
    )
    folder = tmp_path / "2026-10"
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["16-2026-10.xlsx", "17-2026-10.xlsx"]
    toulouse = openpyxl.load_workbook(folder / "16-2026-10.xlsx").worksheets[0]
    assert toulouse.max_row == 1 + 6  # the six completions of October
    nantes = openpyxl.load_workbook(folder / "17-2026-10.xlsx").worksheets[0]
    assert {r[2] for r in nantes.iter_rows(min_row=2, values_only=True)} == {f"n1-{i}@ac-nantes.fr" for i in range(3)}
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("manager@ac-nantes.fr",), ("manager@ac-toulouse.fr",)]
    assert all(m.attachments for m in mail.outbox)


def test_monthly_reports_bad_arguments(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("export_monthly_reports", "--month", "10/2026", "--dir", str(tmp_path))
    with pytest.raises(CommandError, match="Unknown académie"):
        run("export_monthly_reports", "--academy", "99", "--dir", str(tmp_path))
