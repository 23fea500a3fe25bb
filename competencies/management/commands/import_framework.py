from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competencies.formats import FORMATS, FormatError
from competencies.services import import_framework


class Command(BaseCommand):
    help = (
        "Import a competency framework from a CASE 1.1/1.0 JSON package or a Moodle framework CSV. Everything is "
        "checked first: on any problem nothing is imported. Importing the same file again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file to import ('-' reads standard input).")
        parser.add_argument("--format", choices=sorted(FORMATS), help="Format of the file (guessed when omitted).")
        parser.add_argument(
            "--language",
            choices=["fr", "en"],
            help="Language of the texts (CASE: overrides the document's; Moodle: for text outside multilang spans).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")

    def handle(self, *args, file, format=None, language=None, dry_run=False, **options):
        if file == "-":
            import sys

            data, name = sys.stdin.buffer.read(), "stdin"
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such file: {file}")
            data, name = path.read_bytes(), path.name
        self.stdout.write(f"Reading {name} ({len(data)} bytes)…")
        try:
            reports = import_framework(data=data, format_name=format, language=language, dry_run=dry_run, filename=name)
        except FormatError as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(f"{len(exc.errors)} problem(s) found: nothing was imported.") from None
        for report in reports:
            prefix = "[dry run] " if dry_run else ""
            self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}"))
            if report.deleted:
                self.stdout.write(f"  removed: {', '.join(report.deleted)}")
