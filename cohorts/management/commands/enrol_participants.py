from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cohorts.models import TrainingSession
from cohorts.services import enrol_participants


class Command(BaseCommand):
    help = "Enrol the participants of a training session from a CSV file (e-mail; last name; first name; UAI)."

    def add_arguments(self, parser):
        parser.add_argument("session", help="The training session's id, or its GAIA session identifier.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what it would do.")

    def handle(self, *args, session, file, dry_run, **options):
        found = TrainingSession.objects.filter(pk=int(session)) if session.isdigit() else TrainingSession.objects.none()
        found = found or TrainingSession.objects.filter(gaia_session=session)
        if found.count() != 1:
            raise CommandError(_("No single training session has the id or GAIA session “%(s)s”.") % {"s": session})
        if not file.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": file})
        plan = enrol_participants(session=found.get(), raw=file.read_bytes(), dry_run=dry_run)
        if plan.refused:
            raise CommandError("\n".join([_("Nothing was imported:"), *(str(r) for r in plan.refused)]))
        summary = _("%(created)d account(s) to create, %(matched)d existing account(s) matched.") % {
            "created": len(plan.created),
            "matched": len(plan.matched),
        }
        self.stdout.write(summary if dry_run else _("Done: ") + summary)
