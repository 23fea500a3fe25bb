"""Personal data, declared by the app that holds it: what "Download my data" shows and what erasure does.

Each app describes its own tables in its `personal_data.py` (a `PersonalData`) and registers it at import, which its
`AppConfig.ready()` triggers (`from . import personal_data`), the way Open edX's apps each retire their own rows on
the retirement signal. `privacy` runs the download, the erasure and the retention through this registry and imports
no other app's models.

The tables themselves are found from the models (`privacy.inventory`: every model linked to the user): the download
reads them all, and a test checks that each of the project's is claimed by its app's declaration here. A declaration
adds what the models cannot say: tables found another way (statements by pseudonym), titles, what the learner has not
been shown, the readable page's sections, and the erasure steps.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone

from wagtail.models import Page

Rows = list[dict[str, Any]]
Data = dict[str, Rows]  # table label -> rows, in the download's order
Titles = dict[str, str]  # a page's translation key -> its title in the learner's language
# A section of the readable page: loads its records, says which pages it names, then builds itself from their titles.
ReadableSection = Callable[..., tuple[set, Callable[[Titles], Any]]]

# Fields never exported (secrets).
SECRET_FIELDS = {"password", "session_key", "session_data", "verification_code_hash"}

# Erasure runs the steps of every app in this order (lower first). The account itself is anonymised at ACCOUNT:
# steps that need the person's e-mail address or name run before it; steps that only need the row, after.
ACCOUNT = 90


@dataclass(frozen=True)
class ExtraTable:
    """A table of the download that no foreign key to the user finds (statements, found by pseudonym)."""

    title: Any  # str or lazy translation
    rows: Callable[[Any], Rows]


@dataclass(frozen=True)
class ErasureStep:
    order: int
    run: Callable[[Any], dict[str, int]]  # user -> what was done, by table ("deleted" counts, or rows changed)


@dataclass(frozen=True)
class Expiry:
    """Records that retention deletes once older than one of its periods (`privacy.retention`)."""

    summary: str  # the field of privacy's RetentionSummary that counts them
    period: str  # the key of PRIVACY_RETENTION that sets how long they are kept
    records: Callable[[dt.datetime], list[models.QuerySet]]  # cutoff -> what to delete


@dataclass(frozen=True)
class PersonalData:
    app_label: str
    tables: tuple[str, ...] = ()  # model labels holding personal data (listed in docs/data-protection.md)
    titles: Mapping[str, Any] = field(default_factory=dict)  # a table's title when its verbose name does not say it
    extra_tables: Mapping[str, ExtraTable] = field(default_factory=dict)
    shown: Callable[[Any, Data], None] | None = None  # removes from the download what the learner has not been shown
    estimate: Callable[[Any], int] | None = None  # rough number of records, to choose a background export
    readable: Mapping[str, ReadableSection] = field(default_factory=dict)  # sections of the readable page, by name
    erasure: Sequence[ErasureStep] = ()
    expiries: Sequence[Expiry] = ()


_registry: dict[str, PersonalData] = {}


def register(declaration: PersonalData) -> None:
    _registry[declaration.app_label] = declaration


def declarations() -> list[PersonalData]:
    return list(_registry.values())


def erasure_steps() -> list[ErasureStep]:
    return sorted((step for d in _registry.values() for step in d.erasure), key=lambda step: step.order)


def erasure_replaces_delete(user) -> bool:
    """Wagtail's hard delete is offered for superusers only (by a superuser); everyone else is erased instead
    (`privacy`), so that the figures that still count them stay right."""
    return not user.is_superuser


# --- Helpers for the declarations ---------------------------------------------------------------------------------


def _value(value):
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")
    return value


def rows(model: type[models.Model], queryset: models.QuerySet) -> Rows:
    """Every field of every row but secrets, as JSON-ready values."""
    names = [
        f.attname for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS and f.attname not in SECRET_FIELDS
    ]
    return [{name: _value(row[name]) for name in names} for row in queryset.values(*names)]


def human_date(value: dt.datetime | dt.date | None, *, with_time: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if not with_time:
            value = value.date()
    return formats.date_format(value, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def page_titles(keys: set, language: str) -> Titles:
    """Page titles by translation key, in the learner's language when the page exists in it (one query)."""
    titles: Titles = {}
    wanted = {str(k) for k in keys if k}
    if not wanted:
        return titles
    pages = Page.objects.filter(translation_key__in=[uuid.UUID(k) for k in wanted if _is_uuid(k)])
    for key, title, lang in pages.values_list("translation_key", "title", "locale__language_code"):
        if str(key) not in titles or lang == language:
            titles[str(key)] = title
    return titles
