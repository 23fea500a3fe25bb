"""The report filters' form: the first filter found wrong is the one reported, whoever reads the filters (screens,
background jobs, export_completions); and where an export goes (now or a background job) is the service's choice."""

import io

from django.core.management import CommandError, call_command
from django.utils import translation

import pytest

from lms.scoping import Scope
from reports import services
from reports.forms import ReportFilterForm, parse_filters
from reports.selectors import FilterError, ReportFilters


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"academie": "x", "status": "finished"}, "academie: “x” is not a valid identifier."),
        ({"status": "finished", "from": "2026-02-30"}, "Unknown status."),
        ({"from": "2026-03-01", "to": "2026-02-01", "session": "x"}, "The start date is after the end date."),
        ({"to": "later", "competency": "9.9.9"}, "to: “later” is not a date (expected YYYY-MM-DD)."),
    ],
)
def test_the_first_wrong_filter_is_reported(db, params, message):
    with translation.override("en"):
        form = ReportFilterForm(params, scope=Scope(everything=True))
        assert not form.is_valid() and form.first_error == message
        with pytest.raises(FilterError, match=message.split("“")[0]):
            parse_filters(params, scope=Scope(everything=True))


def test_no_filter_is_no_error(db):
    assert parse_filters({}, scope=Scope(everything=True)) == ReportFilters()
    dates = parse_filters({"from": "2026-01-02", "to": "2026-01-02"}, scope=Scope(everything=True))
    assert dates.as_query() == {"from": "2026-01-02", "to": "2026-01-02"}


def test_the_command_says_what_is_wrong(db):
    with pytest.raises(CommandError, match="2026-13-01"):
        call_command("export_completions", "--format", "csv", "-o", "-", "--from", "2026-13-01", stderr=io.StringIO())


def test_start_export_sends_small_exports_now_and_queues_large_ones(db, settings, make_user):
    user = make_user(email="gestion@ac-toulouse.fr")
    now = services.start_export(
        user=user, kind="completions", scope=Scope(everything=True), filters=ReportFilters(), fmt="csv"
    )
    assert now.job is None and now.count == 0 and now.filename.endswith(".csv")
    assert b"".join(now.csv_lines()).decode("utf-8-sig").count("\n") == 1  # the header only
    settings.REPORTS_SYNC_EXPORT_LIMIT = -1
    queued = services.start_export(
        user=user, kind="ai_literacy", scope=Scope(everything=True), filters=ReportFilters(), fmt="xlsx"
    )
    assert queued.job is not None and queued.job.kind == "ai_literacy" and queued.filename == ""
    with pytest.raises(ValueError):
        services.start_export(
            user=user, kind="completions", scope=Scope(everything=True), filters=ReportFilters(), fmt="pdf"
        )
