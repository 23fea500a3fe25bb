"""Writes: exports to files, background export jobs, attestations; and which export runs now or as a job."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from competencies.models import CompetencyItem
from courses.models import CoursePage
from lms.scoping import Scope, scope_for

from . import ailiteracy, completions, exports, selectors
from .forms import parse_filters
from .models import Attestation, ExportJob
from .tasks import run_export_job

FORMATS = ("csv", "xlsx")


def export_completions(
    *,
    scope: Scope,
    filters: selectors.ReportFilters,
    fmt: str,
    out: IO[bytes],
    delimiter: str = ",",
    progress: exports.Progress = None,
    use_copy: bool | None = None,
    max_rows_per_sheet: int = exports.XLSX_MAX_ROWS,
) -> int:
    """Stream the completion report to ``out``; returns the number of rows. A constant number of queries."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    courses = selectors.course_catalogue()
    qs = completions.completion_rows(scope=scope, filters=filters, courses=courses)
    columns = completions.COLUMNS
    if fmt == "csv":
        if use_copy is None:
            use_copy = connection.vendor == "postgresql"
        if use_copy:
            return exports.copy_csv(out, qs, columns, delimiter=delimiter, progress=progress)
        rows = completions.completion_values(qs).iterator(chunk_size=exports.CHUNK_SIZE)
        return exports.write_csv(out, columns, rows, delimiter=delimiter, progress=progress)
    rows = completions.completion_values(qs).iterator(chunk_size=exports.CHUNK_SIZE)
    return exports.write_xlsx(
        out,
        columns,
        rows,
        sheet_title=completion_sheet_title(filters),
        progress=progress,
        max_rows=max_rows_per_sheet,
    )


# --- An export from the screens: now, or as a background job ------------------------------------------------------


def sync_export_limit() -> int:
    """Above this many rows an export from the screens becomes a background job."""
    return int(getattr(settings, "REPORTS_SYNC_EXPORT_LIMIT", 5000))


@dataclass
class Export:
    """What ``start_export`` decided: a background ``job``, or the rows to send in the response."""

    kind: str
    fmt: str
    count: int
    job: ExportJob | None = None
    filename: str = ""
    columns: Sequence[exports.Column] = ()
    rows: Iterable[Sequence] = ()
    delimiter: str = ","
    sheet_title: str = ""
    note: str | None = None

    def csv_lines(self) -> Iterator[bytes]:
        return exports.csv_lines(self.columns, self.rows, delimiter=self.delimiter)

    def write_xlsx(self, out: IO[bytes]) -> int:
        return exports.write_xlsx(out, self.columns, self.rows, sheet_title=self.sheet_title, note=self.note)


def _export_rows(
    *, kind: str, scope: Scope, filters: selectors.ReportFilters
) -> tuple[QuerySet, QuerySet, Sequence[exports.Column], str, str | None]:
    """(queryset to count, values to stream, columns, sheet title, note) of an export kind."""
    if kind == "completions":
        qs = completions.completion_rows(scope=scope, filters=filters, courses=selectors.course_catalogue())
        return qs, completions.completion_values(qs), completions.COLUMNS, completion_sheet_title(filters), None
    if kind == "ai_literacy":
        qs = ailiteracy.ai_literacy_rows(scope=scope, filters=filters)
        return qs, qs, ailiteracy.COLUMNS, _("AI-literacy record"), str(ailiteracy.NOTE)
    raise ValueError(kind)


def start_export(
    *, user, kind: str, scope: Scope, filters: selectors.ReportFilters, fmt: str, delimiter: str = ","
) -> Export:
    """One path for every report export from the screens: counted, then a background job above
    ``sync_export_limit()`` rows (recorded and enqueued), else the rows to stream now, under the file's name."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    qs, values, columns, sheet_title, note = _export_rows(kind=kind, scope=scope, filters=filters)
    count = qs.count()
    if count > sync_export_limit():
        job = start_export_job(user=user, kind=kind, fmt=fmt, params=filters.as_query(), delimiter=delimiter)
        return Export(kind=kind, fmt=fmt, count=count, job=job)
    return Export(
        kind=kind,
        fmt=fmt,
        count=count,
        filename=export_filename(kind=kind, scope=scope, filters=filters, fmt=fmt, delimiter=delimiter),
        columns=columns,
        rows=values.iterator(chunk_size=exports.CHUNK_SIZE),
        delimiter=delimiter,
        sheet_title=sheet_title,
        note=note,
    )


# --- What exported files and sheets are called --------------------------------------------------------------------


def completion_sheet_title(filters: selectors.ReportFilters | None) -> str:
    """The sheet says what it holds: every status unless the report was filtered on one (31 characters at most)."""
    status = filters.status if filters else None
    titles = {
        selectors.COMPLETED: _("Completed courses"),
        selectors.IN_PROGRESS: _("Courses in progress"),
        selectors.NOT_STARTED: _("Courses not started"),
    }
    return str(titles.get(status, _("All enrolments")))[:31]


def export_filename(
    *, kind: str, scope: Scope, filters: selectors.ReportFilters | None, fmt: str, delimiter: str = ",", day=None
) -> str:
    """e.g. ``suivi-des-formations-toulouse-terminees-2026-12-02-separateur-point-virgule.csv``: what, whose, which
    status, when, and for CSV which separator (the two CSV variants never share a name)."""
    base = {
        "completions": _("course-progress"),
        "ai_literacy": _("ai-literacy-record"),
        "dashboard": _("training-dashboard"),
    }.get(kind, kind)
    parts = [str(base)]
    academie = None
    if filters and filters.academie:
        academie = selectors.academies_in_scope(scope=scope).filter(pk=filters.academie).first()
    elif not scope.everything:
        academies = list(selectors.academies_in_scope(scope=scope)[:2])
        academie = academies[0] if len(academies) == 1 else None
    if academie is not None:
        parts.append(academie.name)
    if kind == "completions" and filters and filters.status:
        parts.append(str(selectors.STATUS_LABELS[filters.status]))
    parts.append((day or timezone.localdate()).isoformat())
    if fmt == "csv":
        parts.append(str(_("semicolon-separated") if delimiter == ";" else _("comma-separated")))
    return "-".join(slugify(p) for p in parts if p) + f".{fmt}"


# --- Background export jobs ---------------------------------------------------------------------------------------


def export_dir() -> Path:
    """Where generated exports are kept: outside the public media URL space, served only through a checked view."""
    path = Path(getattr(settings, "REPORTS_EXPORT_DIR", None) or Path(settings.MEDIA_ROOT) / "reports-private")
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def start_export_job(*, user, kind: str, fmt: str, params: Mapping[str, str], delimiter: str = ","):
    """Record a job and enqueue it on the ``jobs`` backend (run after the transaction commits)."""
    job = ExportJob.objects.create(user=user, kind=kind, fmt=fmt, params=dict(params), delimiter=delimiter)
    transaction.on_commit(lambda: run_export_job.enqueue(job_id=job.pk))
    return job


def run_job(*, job_id: int) -> None:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    # The scope is decided again when the job runs: a manager who lost the role in the meantime gets nothing.
    scope = scope_for(job.user)
    name = f"{uuid.uuid4().hex}.{job.fmt}"
    path = export_dir() / name

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    try:
        filters = parse_filters(job.params, scope=scope)
        total = completions.completion_rows(scope=scope, filters=filters).count() if job.kind == "completions" else None
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
        with path.open("wb") as out:
            if job.kind == "ai_literacy":
                rows = ailiteracy.export_ai_literacy(
                    scope=scope, filters=filters, fmt=job.fmt, out=out, delimiter=job.delimiter
                )
            else:
                rows = export_completions(
                    scope=scope, filters=filters, fmt=job.fmt, out=out, delimiter=job.delimiter, progress=progress
                )
    except Exception as exc:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file_name=name, rows_done=rows, rows_total=rows, finished_at=timezone.now()
    )


# --- Attestations ---------------------------------------------------------------------------------------------------

CODE_BYTES = 15  # 120 random bits, shown as 24 base-32 characters in groups of 4


def new_verification_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def issue_attestation(*, enrolment):
    """The attestation of a completed enrolment, issued once (what it says is fixed at issue)."""
    existing = Attestation.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    if enrolment.completed_at is None:
        raise ValueError("The course is not completed.")
    pages = {
        p.locale.language_code: p
        for p in CoursePage.objects.filter(translation_key=enrolment.course_key).select_related("locale")
    }
    if not pages:
        raise ValueError("The course no longer exists.")
    language = enrolment.user.preferred_language or settings.LANGUAGE_CODE
    page = pages.get(language) or pages.get(settings.LANGUAGE_CODE) or next(iter(pages.values()))
    items = CompetencyItem.objects.filter(pk__in=page.competencies.values_list("pk", flat=True)).order_by("path")
    competencies = [{"code": i.code, "label_fr": i.label_fr, "label_en": i.label_en} for i in items]
    user = enrolment.user
    return Attestation.objects.create(
        enrolment=enrolment,
        code=new_verification_code(),
        learner_name=user.get_full_name() or user.email,
        course_title_fr=(pages.get("fr") or page).title,
        course_title_en=(pages.get("en") or page).title,
        estimated_hours=page.estimated_hours,
        completed_on=timezone.localtime(enrolment.completed_at).date(),
        competencies=competencies,
    )
