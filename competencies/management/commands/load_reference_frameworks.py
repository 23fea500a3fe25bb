from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competencies.crosswalks import CrosswalkError
from competencies.formats import FormatError
from competencies.reference.loader import load_reference_frameworks


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the reference frameworks shipped with the platform (DigCompEdu, 2017) and the crosswalks shipped with "
        "a public source. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write(_("Loading the reference frameworks…"))
        try:
            reports, added = load_reference_frameworks()
        except (FormatError, CrosswalkError) as exc:
            raise CommandError(str(exc)) from None
        for report in reports:
            self.stdout.write(self.style.SUCCESS(report.summary()))
        self.stdout.write(_("Crosswalk links added: %(n)d.") % {"n": added})
