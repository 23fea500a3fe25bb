"""Download my data: every personal row about a person, as the apps declare it (`lms.personal_data`), in a ZIP."""

import io
import json
import secrets
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst, slugify

from lms.audit import AuditEntry, audit
from lms.personal_data import Data, declarations, human_date, rows
from lms.spreadsheets import csv_text

from . import readable
from .inventory import personal_models
from .models import DataExport
from .tasks import build_data_export


def collect(user) -> Data:
    """Every personal row about `user`, by model label, then the tables the apps find another way (the statements
    the platform produced about them); only what the learner may see (each app removes what it has not shown)."""
    data: Data = {}
    for personal in personal_models():
        queryset = personal.model._default_manager.filter(**{personal.path: user.pk}).order_by("pk")
        table = rows(personal.model, queryset)
        if table:
            data[personal.label] = table
    for declaration in declarations():
        for label, extra in declaration.extra_tables.items():
            data[label] = extra.rows(user)
    for declaration in declarations():
        if declaration.shown is not None:
            declaration.shown(user, data)
    return data


def _csv(rows: list[dict]) -> str:
    """One table as CSV for a spreadsheet: every cell through the platform's formula-neutralising writer."""
    header = list(rows[0])
    return csv_text(
        header,
        (
            [
                json.dumps(v, cls=DjangoJSONEncoder, ensure_ascii=False) if isinstance(v, dict | list) else v
                for v in (row.get(k) for k in header)
            ]
            for row in rows
        ),
    )


def _table_title(label: str) -> str:
    """A table's name as a person reads it, in the active language: its app's title for it, or its model's plural
    verbose name."""
    for declaration in declarations():
        if label in declaration.extra_tables:
            return str(declaration.extra_tables[label].title)
        if label in declaration.titles:
            return str(declaration.titles[label])
    return str(capfirst(apps.get_model(label)._meta.verbose_name_plural))


@transaction.atomic
def export_user_data(*, user) -> bytes:
    """A ZIP: index.html (readable, in the learner's language), data.json (everything), one CSV per table."""
    data = collect(user)
    language = user.preferred_language if user.preferred_language in ("fr", "en") else "fr"
    buffer = io.BytesIO()
    with translation.override(language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        files = []
        used: set[str] = set()
        for label, table in data.items():
            if not table:
                continue
            title = _table_title(label)
            stem = slugify(title)[:60].strip("-") or "table"
            name, n = f"csv/{stem}.csv", 2
            while name in used:
                name, n = f"csv/{stem}-{n}.csv", n + 1
            used.add(name)
            archive.writestr(name, _csv(table))
            files.append({"title": title, "file": name, "count": len(table)})
        index = render_to_string(
            "privacy/export_index.html",
            {
                "language": language,
                "files": files,
                "readable": readable.build(user, language=language),
                "generated": human_date(timezone.now(), with_time=True),
            },
        )
        archive.writestr("index.html", index)
    audit(
        actor=user,
        action=AuditEntry.Action.DATA_EXPORT,
        subject_id=user.pk,
        row_count=sum(len(r) for r in data.values()),
    )
    return buffer.getvalue()


def estimated_rows(*, user) -> int:
    """A cheap estimate of the archive's size, to choose between an immediate download and a background job."""
    return sum(d.estimate(user) for d in declarations() if d.estimate is not None)


def sync_export_max_rows() -> int:
    return int(getattr(settings, "PRIVACY_SYNC_EXPORT_MAX_ROWS", 5000))


def request_data_export(*, user) -> DataExport:
    """Queue a background export; the learner follows it on a page and downloads it when ready."""
    export = DataExport.objects.create(user=user, token=secrets.token_urlsafe(32))
    transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


def build_data_export_file(*, export_id: int) -> None:
    export = DataExport.objects.select_related("user").get(pk=export_id)
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING)
    try:
        archive = export_user_data(user=export.user)
        directory = Path(settings.EXPORTS_DIR) / "privacy"
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{export.token}.zip"
        (directory / name).write_bytes(archive)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.DONE, file_name=name, finished_at=timezone.now()
        )
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        raise
