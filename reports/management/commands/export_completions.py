"""Stream the completion report to a file: `manage.py export_completions --academy 16 --format xlsx -o out.xlsx`."""

import sys
import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from lms.models import Academie
from lms.scoping import Scope
from reports import completions, selectors, services
from reports.forms import ReportFilterForm


class Command(BaseCommand):
    help = "Export the completion report (one row per learner and course) as CSV or XLSX, streamed."

    def add_arguments(self, parser):
        parser.add_argument("--academy", help="Académie code (e.g. 16 for Toulouse); all académies if omitted.")
        parser.add_argument("--course", help="Course translation key (UUID) or GAIA identifier.")
        parser.add_argument("--from", dest="date_from", help="First day, YYYY-MM-DD (enrolled or completed since).")
        parser.add_argument("--to", dest="date_to", help="Last day, YYYY-MM-DD.")
        parser.add_argument("--status", choices=sorted(selectors.STATUS_LABELS))
        parser.add_argument("--format", dest="fmt", choices=services.FORMATS, required=True)
        parser.add_argument("--semicolon", action="store_true", help="CSV: semicolon separator, decimal comma.")
        parser.add_argument("-o", "--output", required=True, help="File to write ('-' for standard output, CSV only).")
        parser.add_argument("--no-copy", action="store_true", help="PostgreSQL: use the Python writer, not COPY.")

    def handle(self, *args, **options):
        params = {}
        if options["academy"]:
            academie = Academie.objects.filter(code=options["academy"]).first()
            if academie is None:
                raise CommandError(f"Unknown académie code: {options['academy']!r} (see the lms.Academie table).")
            params["academie"] = str(academie.pk)
        if options["course"]:
            params["course"] = str(resolve_course(options["course"]))
        for key, option in (("from", "date_from"), ("to", "date_to"), ("status", "status")):
            if options[option]:
                params[key] = options[option]
        scope = Scope(everything=True)  # an operator's command: the whole platform, narrowed by the options
        form = ReportFilterForm(params, scope=scope)
        if not form.is_valid():
            raise CommandError(form.first_error)
        filters = form.filters
        if options["output"] == "-" and options["fmt"] != "csv":
            raise CommandError("XLSX cannot be written to standard output: give a file name with -o.")

        total = completions.completion_rows(scope=scope, filters=filters).count()
        started = time.monotonic()
        err = self.stderr

        def progress(done: int) -> None:
            width = 30
            filled = width if not total else min(width, width * done // total)
            err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows", ending="")
            err.flush()

        kwargs = {
            "scope": scope,
            "filters": filters,
            "fmt": options["fmt"],
            "delimiter": ";" if options["semicolon"] else ",",
            "progress": progress if options["verbosity"] > 0 else None,
        }
        if options["no_copy"]:
            kwargs["use_copy"] = False
        if options["output"] == "-":
            rows = services.export_completions(out=sys.stdout.buffer, **kwargs)
        else:
            try:
                out = open(options["output"], "wb")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}") from exc
            with out:
                rows = services.export_completions(out=out, **kwargs)
        if options["verbosity"] > 0:
            self.stderr.write("")
            self.stderr.write(self.style.SUCCESS(f"{rows} rows written in {time.monotonic() - started:.1f} s."))


def resolve_course(value: str):
    try:
        key = uuid.UUID(value)
    except ValueError:
        keys = set(CoursePage.objects.filter(gaia_identifier=value).values_list("translation_key", flat=True))
        if len(keys) == 1:
            return keys.pop()
        if len(keys) > 1:
            raise CommandError(f"Several courses have the GAIA identifier {value!r}: give the course's UUID.") from None
        raise CommandError(f"Unknown course: {value!r} (give a course translation key or GAIA identifier).") from None
    if not CoursePage.objects.filter(translation_key=key).exists():
        raise CommandError(f"Unknown course: {value!r}.")
    return key
