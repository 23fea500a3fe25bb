"""Thin views: the learner's attestation, the public verification page, and the admin report screens."""

from __future__ import annotations

import tempfile
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import Enrolment
from lms import charts
from lms import smallnumbers as sn
from lms.audit import AuditEntry, audit
from lms.reauth import ask_for_password
from lms.scoping import Scope, scope_for
from lms.security import client_ip

from . import ailiteracy, completions, dashboard, exports, selectors, services
from .forms import ReportFilterForm
from .models import Attestation, ExportJob
from .pdf import attestation_pdf

# --- Learner and public -------------------------------------------------------------------------------------------


@login_required
def attestation_download(request, course_key: uuid.UUID):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("user"), user=request.user, course_key=course_key, completed_at__isnull=False
    )
    try:
        attestation = services.issue_attestation(enrolment=enrolment)
    except ValueError:
        raise Http404 from None
    verify_url = settings.PLATFORM_BASE_URL.rstrip("/") + reverse("reports:verify")
    pdf = attestation_pdf(attestation, language=get_language(), verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{attestation.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


VERIFY_LIMIT = 20  # look-ups
VERIFY_WINDOW = 600  # seconds


def _rate_limited(request) -> bool:
    """A simple fixed-window limit per client address, in the cache (shared between processes when the cache is)."""
    limit = getattr(settings, "REPORTS_VERIFY_LIMIT", VERIFY_LIMIT)
    key = f"reports:verify:{client_ip(request)}"
    if cache.add(key, 1, timeout=getattr(settings, "REPORTS_VERIFY_WINDOW", VERIFY_WINDOW)):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=VERIFY_WINDOW)
        return False
    return count > limit


def verify(request, code: str | None = None):
    code = code or request.GET.get("code", "")
    context: dict = {"code": code, "attestation": None, "searched": bool(code)}
    if code:
        if _rate_limited(request):
            response = render(request, "reports/verify.html", {**context, "limited": True}, status=429)
            response["Retry-After"] = str(VERIFY_WINDOW)
            return response
        attestation = Attestation.objects.filter(code=services.normalise_code(code)).first()
        context["attestation"] = attestation
        if attestation:
            context["course_title"] = attestation.course_title(get_language())
            context["competencies"] = attestation.competency_labels(get_language())
    response = render(
        request, "reports/verify.html", context, status=200 if context["attestation"] or not code else 404
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Admin --------------------------------------------------------------------------------------------------------


def _scope(request) -> Scope:
    scope = scope_for(request.user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def _filters(request, scope: Scope) -> tuple[selectors.ReportFilters | None, str]:
    form = ReportFilterForm(request.GET, scope=scope)
    if form.is_valid():
        return form.filters, ""
    return None, form.first_error


def completion_report(request):
    scope = _scope(request)
    filters, error = _filters(request, scope)
    courses = selectors.course_catalogue()
    choices = selectors.filter_choices(scope=scope, courses=courses)
    choices["competency"] = selectors.competency_choices(courses=courses, language=get_language())
    page = None
    total = None
    if filters is not None:
        qs = completions.completion_rows(scope=scope, filters=filters, courses=courses)
        paginator = Paginator(qs.values(*completions.COLUMN_NAMES, "pk"), 50)
        page = paginator.get_page(request.GET.get("p"))
        total = sn.count(paginator.count)
        audit(
            actor=request.user,
            action=AuditEntry.Action.REPORT_VIEW,
            detail={"report": "completions", **filters.as_query()},
            row_count=paginator.count,
        )
    context = {
        "filters": filters,
        "error": error,
        "choices": choices,
        "page_obj": page,
        # A count of named rows is shown only when it is no small number: never "< 5" beside the rows it counts.
        "total": total,
        "show_total": total is not None and not total.suppressed,
        "columns": completions.COLUMNS,
        "headers": {name: header for name, header, _kind in completions.COLUMNS},
        "query": filters.as_query() if filters else {},
        "querystring": urlencode(filters.as_query()) if filters else "",
        "show_academie": scope.everything or len(choices["academie"]) > 1,
        "sync_limit": services.sync_export_limit(),
    }
    return render(request, "reports/admin/completions.html", context, status=400 if error else 200)


def _xlsx_response(name: str, write) -> FileResponse:
    """XLSX: written to a temporary file on disk, then streamed from it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    write(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _export(request, *, kind: str):
    """Every report export: scope, password, filters and format checked here; ``services.start_export`` decides
    between a background job and the file sent now."""
    scope = _scope(request)  # people without a scope are turned away before being asked anything
    confirm = ask_for_password(request)  # exports of personal data ask for the password again
    if confirm is not None:
        return confirm
    filters, error = _filters(request, scope)
    if filters is None:
        return HttpResponseBadRequest(error)
    fmt = request.GET.get("fmt", "csv")
    if fmt not in services.FORMATS:
        return HttpResponseBadRequest(_("Unknown format."))
    delimiter = ";" if request.GET.get("sep") == "semicolon" else ","
    export = services.start_export(
        user=request.user, kind=kind, scope=scope, filters=filters, fmt=fmt, delimiter=delimiter
    )
    audit(
        actor=request.user,
        action=AuditEntry.Action.REPORT_EXPORT,
        detail={"report": kind, "format": fmt, **filters.as_query()},
        row_count=export.count,
    )
    if export.job is not None:
        return redirect("reports_admin:job", job_id=export.job.pk)
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    return _xlsx_response(export.filename, export.write_xlsx)


def completion_export(request):
    return _export(request, kind="completions")


def job_status(request, job_id: int):
    _scope(request)
    job = get_object_or_404(ExportJob, pk=job_id, user=request.user)
    return render(request, "reports/admin/job.html", {"job": job})


def job_download(request, job_id: int):
    _scope(request)
    job = get_object_or_404(ExportJob, pk=job_id, user=request.user, status=ExportJob.Status.DONE)
    path = services.export_dir() / job.file_name
    if not job.file_name or not path.exists():
        raise Http404
    content_type = (
        "text/csv" if job.fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    scope = scope_for(request.user)
    form = ReportFilterForm(job.params, scope=scope)
    filters = form.filters if form.is_valid() else None
    name = services.export_filename(
        kind=job.kind,
        scope=scope,
        filters=filters,
        fmt=job.fmt,
        delimiter=job.delimiter,
        day=timezone.localdate(job.created_at),
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)


def dashboard_view(request):
    scope = _scope(request)
    filters, error = _filters(request, scope)
    courses = selectors.course_catalogue()
    context: dict = {
        "error": error,
        "academies": selectors.academies_in_scope(scope=scope),
        "regions": selectors.regions_in_scope(scope=scope) if scope.everything else [],
        "filters": filters,
        "hidden_label": sn.HIDDEN_LABEL,
    }
    if filters is not None:
        board = dashboard.dashboard(scope=scope, filters=filters, courses=courses)
        months = [m.month.strftime("%m/%Y") for m in board.months]
        context["board"] = board
        context["months_chart"] = charts.bar_chart(
            chart_id="chart-months",
            title=_("Enrolments and completions per month"),
            description=_("Bar chart of the figures given in the table that follows it."),
            labels=months,
            series=[
                charts.Series(_("Enrolments"), [m.enrolled for m in board.months]),
                charts.Series(_("Completions"), [m.completed for m in board.months]),
            ],
        )
        context["courses_chart"] = charts.bar_chart(
            chart_id="chart-courses",
            title=_("Completion rate per course"),
            description=_("Bar chart of the completion rates given in the table that follows it."),
            labels=[r.label[:18] for r in board.courses],
            series=[charts.Series(_("Completion rate"), [r.rate for r in board.courses])],
            percent=True,
        )
    return render(request, "reports/admin/dashboard.html", context, status=400 if error else 200)


def dashboard_export(request):
    """The dashboard's tables as CSV, with the same suppression as on screen."""
    scope = _scope(request)
    filters, error = _filters(request, scope)
    if filters is None:
        return HttpResponseBadRequest(error)
    board = dashboard.dashboard(scope=scope, filters=filters)
    delimiter = ";" if request.GET.get("sep") == "semicolon" else ","
    response = StreamingHttpResponse(
        exports.csv_lines(dashboard.export_columns(), dashboard.export_rows(board), delimiter=delimiter),
        content_type="text/csv; charset=utf-8",
    )
    name = services.export_filename(kind="dashboard", scope=scope, filters=filters, fmt="csv", delimiter=delimiter)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def ai_literacy(request):
    scope = _scope(request)
    filters, error = _filters(request, scope)
    return render(
        request,
        "reports/admin/ai_literacy.html",
        {
            "error": error,
            "note": ailiteracy.NOTE,
            "academies": selectors.academies_in_scope(scope=scope),
            "filters": filters,
            "query": filters.as_query() if filters else {},
        },
        status=400 if error else 200,
    )


def ai_literacy_export(request):
    return _export(request, kind="ai_literacy")
