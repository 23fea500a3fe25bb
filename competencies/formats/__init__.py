"""Exchange formats over one in-memory representation.

Each format is one module with ``parse(data: bytes, *, language=None) -> list[FrameworkData]`` and
``dump(framework: FrameworkData, *, language=None) -> bytes``. The importer (``competencies.importing``) and the
exporter (``competencies.exporting.framework_data``) only know ``FrameworkData``; a new format (ESCO, a CSV of
one's own) is one new module registered in ``FORMATS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.utils.dateparse import parse_date
from django.utils.dateparse import parse_datetime as dj_parse_datetime
from django.utils.translation import gettext as _

# Files bigger than this are refused before parsing (bytes). Override with COMPETENCIES_MAX_IMPORT_BYTES.
DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024

MAX_ERRORS_SHOWN = 20

FORMATS = {"case": "competencies.formats.case", "moodle-csv": "competencies.formats.moodle_csv"}


@dataclass
class ItemData:
    identifier: str  # UUID as text
    code: str = ""
    item_type: str = ""
    # Per-language texts: {"fr": "...", "en": "..."}; a missing key means "not given by the file" (kept as is).
    labels: dict[str, str] = field(default_factory=dict)
    statements: dict[str, str] = field(default_factory=dict)
    parent: str | None = None  # identifier of the parent item, None for top level
    uri: str = ""
    last_change: dt.datetime | None = None
    extra: dict = field(default_factory=dict)
    where: str = ""  # where it came from in the file, for error messages ("row 4", "CFItems[3]")
    # CASE: the identifier of the (primary) isChildOf association, when the file gave one we would not mint.
    parent_link: str = ""


@dataclass
class AssociationData:
    identifier: str
    association_type: str
    origin: str  # item identifier
    destination: str  # item identifier (in this package, or an item already in the database)
    sequence_number: int | None = None
    last_change: dt.datetime | None = None
    where: str = ""
    # How to name a destination outside this framework (a crosswalk, or a link still pending).
    destination_title: str = ""
    destination_uri: str = ""
    notes: str = ""  # e.g. the source that supports a crosswalk link
    extra: dict = field(default_factory=dict)  # other CASE fields (CFAssociationGroupingURI, extensions…)


@dataclass
class FrameworkData:
    identifier: str
    code: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    uri: str = ""
    creator: str = ""
    publisher: str = ""
    edition: str = ""
    source_url: str = ""
    licence: str = ""
    licence_uri: str = ""
    adoption_status: str = ""
    notes: str = ""
    subjects: list[str] = field(default_factory=list)
    last_change: dt.datetime | None = None
    language: str | None = None  # the one language of a CASE document
    items: list[ItemData] = field(default_factory=list)  # parents before children, siblings in order
    associations: list[AssociationData] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # Accepted but worth saying (a sequence number written as text, a link whose destination is not imported yet).
    warnings: list[str] = field(default_factory=list)


class FormatError(Exception):
    """Bad input. ``errors`` lists every problem found, each naming where (row/item) and the field."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        shown = self.errors[:MAX_ERRORS_SHOWN]
        more = len(self.errors) - len(shown)
        super().__init__("; ".join(shown) + (_(" (and %(n)d more problems)") % {"n": more} if more else ""))


def problem(where: str, field_name: str, message: str) -> str:
    return _("%(where)s, field “%(field)s”: %(message)s") % {"where": where, "field": field_name, "message": message}


def get_format(name: str) -> ModuleType:
    try:
        return import_module(FORMATS[name])
    except KeyError:
        raise FormatError(
            _("Unknown format “%(name)s”: use one of %(names)s.") % {"name": name, "names": ", ".join(FORMATS)}
        ) from None


def guess_format(data: bytes, filename: str = "") -> str:
    """'case' for JSON, 'moodle-csv' otherwise (the file's first non-blank character decides)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")) or filename.lower().endswith(".json"):
        return "case"
    return "moodle-csv"


def parse_datetime(value, where: str, field_name: str, errors: list[str]) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors.append(problem(where, field_name, _("expected an ISO 8601 date and time")))
        return None
    text = value.strip()
    try:
        parsed = dj_parse_datetime(text.replace("Z", "+00:00"))
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime(day.year, day.month, day.day) if day else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        errors.append(
            problem(where, field_name, _("“%(value)s” is not an ISO 8601 date and time") % {"value": text[:60]})
        )
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        errors.append(problem(where, field_name, _("“%(value)s” is out of range") % {"value": text[:60]}))
        return None


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = value.astimezone(dt.UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "+00:00"
