from django.core.management.base import BaseCommand

from privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the retention periods (settings PRIVACY_RETENTION): warn then anonymise inactive learners, purge "
        "delivered xAPI statements, old export files, log-in records and audit entries. Fit for a daily cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        summary = apply_retention(dry_run=dry_run)
        self.stdout.write("Dry run — nothing changed. Would do:" if dry_run else "Retention applied:")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
