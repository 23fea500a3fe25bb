"""For cron: write each académie's monthly report into a folder, and e-mail it to the académie's managers.

    0 6 1 * *  cd /srv/app && .venv/bin/python manage.py export_monthly_reports --dir /srv/exports

Without --month, the report is for the previous month. Rows: every enrolment active in the month (enrolled or
completed during it). E-mail goes out when e-mail is configured (EMAIL_HOST, i.e. not the console backend),
unless --no-email is given.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone, translation

from lms.models import Academie
from lms.scoping import Scope
from reports import selectors, services


def mail_configured() -> bool:
    backend = (getattr(settings, "MAILERS", {}) or {}).get("default", {}).get("BACKEND", "")
    backend = (backend or getattr(settings, "EMAIL_BACKEND", "")).lower()
    return "console" not in backend and "dummy" not in backend and bool(backend)


class Command(BaseCommand):
    help = "Write (and e-mail) each académie's monthly completion report."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month).")
        parser.add_argument("--dir", required=True, help="Folder to write into (a YYYY-MM sub-folder is made).")
        parser.add_argument("--format", dest="fmt", choices=services.FORMATS, default="xlsx")
        parser.add_argument("--academy", action="append", help="Only these académie codes (repeatable).")
        parser.add_argument("--no-email", action="store_true")

    def handle(self, *args, **options):
        if options["month"]:
            try:
                first = dt.datetime.strptime(options["month"], "%Y-%m").date()
            except ValueError:
                raise CommandError(f"--month must be YYYY-MM, not {options['month']!r}.") from None
        else:
            first = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        academies = Academie.objects.order_by("code")
        if options["academy"]:
            academies = academies.filter(code__in=options["academy"])
            unknown = set(options["academy"]) - set(academies.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"Unknown académie code(s): {', '.join(sorted(unknown))}.")
        folder = Path(options["dir"]) / first.strftime("%Y-%m")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {folder}: {exc.strerror}") from exc
        send = not options["no_email"] and mail_configured()
        scope = Scope(everything=True)
        User = get_user_model()
        written = 0
        with translation.override(settings.LANGUAGE_CODE):
            for academie in academies:
                filters = selectors.ReportFilters(academie=academie.pk, date_from=first, date_to=last)
                path = folder / f"{academie.code}-{first:%Y-%m}.{options['fmt']}"
                with path.open("wb") as out:
                    rows = services.export_completions(scope=scope, filters=filters, fmt=options["fmt"], out=out)
                written += 1
                self.stdout.write(f"{academie.name}: {rows} rows → {path}")
                if send:
                    managers = User.objects.filter(
                        Q(groups__permissions__codename="view_academy_reports")
                        | Q(user_permissions__codename="view_academy_reports"),
                        academie=academie,
                        is_active=True,
                    ).distinct()
                    recipients = [u.email for u in managers]
                    if recipients:
                        message = EmailMessage(
                            subject=f"Rapport mensuel {first:%m/%Y} – {academie.name}",
                            body=(
                                f"Bonjour,\n\nVoici le rapport de suivi des formations de l'académie de {academie.name} "
                                f"pour {first:%m/%Y} ({rows} lignes).\n"
                            ),
                            to=recipients,
                        )
                        message.attach_file(str(path))
                        message.send()
        self.stdout.write(self.style.SUCCESS(f"{written} report(s) written to {folder}."))
