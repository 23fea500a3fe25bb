import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms import demo_population

DEMO_APPS = ["lms", "competencies", "courses", "assessments", "xapi", "reports", "cohorts", "privacy"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo organisation, accounts and content. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo passwords.")

    def handle(self, *args, force=False, quiet_accounts=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates accounts with published passwords: only with DEBUG on (or --force).")
        accounts = []
        # Loading pages and questions logs one INFO line per page, revision and task (about 300): the summary at
        # the end is what the person running the command needs. -v 2 shows them again.
        verbose = options.get("verbosity", 1) > 1
        previous = logging.root.manager.disable
        if not verbose:
            logging.disable(logging.INFO)
        try:
            accounts, learners = self._load(verbose)
        finally:
            logging.disable(previous)
        if quiet_accounts:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {learners} generated learners in 3 académies (no password: not for log-in)."
            )
        )
        self.stdout.write(self.style.SUCCESS("\nDemo accounts (demo only, never in production):"))
        width = max(len(email) for _, email, _ in accounts)
        for role, email, password in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {password.ljust(24)}  {role}")

    def _load(self, verbose: bool) -> tuple[list, int]:
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
                if verbose:
                    self.stdout.write(f"  demo: {label}")
                result = module.load()
                if label == "lms":
                    accounts = result
            learners = demo_population.load()
        return accounts, learners
