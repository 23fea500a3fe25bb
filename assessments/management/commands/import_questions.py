from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Locale

from assessments.bank_import import import_moodle_questions
from assessments.moodle_xml import MoodleXMLError


class Command(BaseCommand):
    help = (
        "Import questions into the bank from a Moodle XML file (M@gistère, Moodle). Everything is checked first: on "
        "any problem nothing is imported. Question types the bank cannot hold are listed, not imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the Moodle XML file.")
        parser.add_argument("--language", choices=["fr", "en"], default="fr", help="Language of the questions.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")

    def handle(self, *args, file, language="fr", dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        data = path.read_bytes()
        self.stdout.write(f"Reading {path.name} ({len(data)} bytes)…")
        try:
            report = import_moodle_questions(
                data=data, locale=Locale.objects.get(language_code=language), dry_run=dry_run
            )
        except MoodleXMLError as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(f"{len(exc.errors)} problem(s): nothing was imported.") from exc
        for title in report.created:
            self.stdout.write(f"  {'would import' if dry_run else 'imported'}: {title}")
        for skipped in report.unsupported:
            self.stdout.write(
                f"  NOT imported (unsupported Moodle type {skipped.moodle_type}): question {skipped.number} "
                f"“{skipped.name}”"
            )
        verb = "would be imported (dry run)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{len(report.created)} question(s) {verb}."))
