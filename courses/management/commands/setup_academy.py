from django.core.management.base import BaseCommand, CommandError

from courses.services import setup_academy, setup_national_catalogue
from lms.models import Academie


class Command(BaseCommand):
    help = (
        "Create an académie's catalogue (French and English) and the group of its training coordinators, "
        "who may edit only that catalogue. CODE is the ministry code (16 for Toulouse) or the name. "
        "--national sets up the national catalogue instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="Académie code or name")
        parser.add_argument("--national", action="store_true")

    def handle(self, *args, code=None, national=False, **options):
        if national:
            pages = setup_national_catalogue()
            self.stdout.write(self.style.SUCCESS(f"National catalogue ready: {', '.join(p.url_path for p in pages)}"))
            return
        if not code:
            raise CommandError("Give an académie code (e.g. 16) or name (e.g. Toulouse), or --national.")
        academie = Academie.objects.filter(code=code.zfill(2) if code.isdigit() else None).first() or (
            Academie.objects.filter(name__iexact=code).first()
        )
        if academie is None:
            raise CommandError(
                f"Unknown académie “{code}”. Codes: {', '.join(Academie.objects.order_by('code').values_list('code', flat=True))}."
            )
        pages, group = setup_academy(academie=academie)
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue of {academie.name} ready ({', '.join(p.url_path for p in pages)}); "
                f"group “{group.name}” has {group.user_set.count()} coordinator(s)."
            )
        )
