"""Writes: framework import. Every file is parsed and checked first (``plan``), then everything is written in one
transaction (``write``); on any problem FormatError lists them all and nothing is written."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..formats import DEFAULT_MAX_IMPORT_BYTES, FormatError, FrameworkData, get_format, guess_format
from ..tree import ItemHasEvidence
from .plan import ImportReport, plan_import
from .write import resolve_pending, write_links, write_plan


def max_import_bytes() -> int:
    return int(getattr(settings, "COMPETENCIES_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES))


def parse_file(
    *, data: bytes, format_name: str | None = None, language: str | None = None, filename: str = ""
) -> list[FrameworkData]:
    """Parse bytes into frameworks, or raise FormatError listing every problem."""
    if len(data) > max_import_bytes():
        raise FormatError(
            _("The file is too large (%(size)d bytes; the limit is %(limit)d).")
            % {"size": len(data), "limit": max_import_bytes()}
        )
    if not data.strip():
        raise FormatError(_("The file is empty."))
    if language not in (None, "fr", "en"):
        raise FormatError(_("Unknown language “%(lang)s”: use fr or en.") % {"lang": language})
    fmt = get_format(format_name or guess_format(data, filename))
    return fmt.parse(data, language=language)


def import_framework(
    *,
    data: bytes,
    format_name: str | None = None,
    language: str | None = None,
    dry_run: bool = False,
    filename: str = "",
) -> list[ImportReport]:
    """Import one file. Everything is validated first; on any problem FormatError is raised and nothing is written.

    Importing the same file again updates the framework in place (items matched by identifier, or by code when the
    format has no identifiers, like Moodle's CSV). Items of the framework missing from the file are removed, unless a
    learner has evidence on them (then the import is refused).
    """
    frameworks = parse_file(data=data, format_name=format_name, language=language, filename=filename)
    return _import(frameworks, dry_run=dry_run)


def import_frameworks(
    *,
    files: Sequence[tuple[str, bytes]],
    format_name: str | None = None,
    language: str | None = None,
    dry_run: bool = False,
) -> list[ImportReport]:
    """Import several files in one go (frameworks that refer to each other): all checked, then all written in one
    transaction, links between them resolved. Problems name the file they come from."""
    frameworks, errors = [], []
    for name, data in files:
        try:
            frameworks += parse_file(data=data, format_name=format_name, language=language, filename=name)
        except FormatError as exc:
            errors += [f"{name}: {error}" for error in exc.errors]
    if errors:
        raise FormatError(errors)
    return _import(frameworks, dry_run=dry_run)


def _import(frameworks: list[FrameworkData], *, dry_run: bool) -> list[ImportReport]:
    batch = {item.identifier for fw in frameworks for item in fw.items if item.identifier}
    plans = [plan_import(fw, dry_run=dry_run, batch=batch) for fw in frameworks]
    if not dry_run:
        try:
            with transaction.atomic():
                written = [(plan, write_plan(plan)) for plan in plans]
                for plan, framework in written:  # links last: they may point into a framework written after theirs
                    write_links(plan, framework)
                resolve_pending()
        except IntegrityError:
            # Only when another import or edit wrote the same tree slots meanwhile: nothing was written.
            raise FormatError(_("Another import or edit changed the frameworks at the same time: try again.")) from None
        except ItemHasEvidence as exc:  # evidence recorded since the check: nothing was written
            raise FormatError(str(exc)) from None
    return [plan.report for plan in plans]
