from django.core.management.base import BaseCommand

from lms.services import purge_unconfirmed_accounts


class Command(BaseCommand):
    help = (
        "Delete sign-ups whose address was not confirmed within 48 hours, so that the address can be registered "
        "again. Run it from cron (hourly or daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted, delete nothing.")

    def handle(self, *args, dry_run: bool, **options):
        count = purge_unconfirmed_accounts(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} unconfirmed account(s) older than 48 hours")
