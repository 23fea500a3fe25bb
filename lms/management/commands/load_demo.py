from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_APPS = ["lms", "competencies", "courses", "assessments", "xapi", "reports", "privacy"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo organisation, accounts and content. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo passwords.")

    def handle(self, *args, force=False, quiet_accounts=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates accounts with published passwords: only with DEBUG on (or --force).")
        accounts = []
        with transaction.atomic():
            for label in DEMO_APPS:
                if not apps.is_installed(label):
                    continue
                try:
                    module = import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                self.stdout.write(f"  demo: {label}")
                result = module.load()
                if label == "lms":
                    accounts = result
        if quiet_accounts:
            return
        self.stdout.write(self.style.SUCCESS("\nDemo accounts (demo only, never in production):"))
        width = max(len(email) for _, email, _ in accounts)
        for role, email, password in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {password.ljust(24)}  {role}")
