from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competencies.exporting import export_framework
from competencies.formats import FORMATS
from competencies.models import Framework


class Command(BaseCommand):
    help = gettext_lazy("Export a competency framework as a CASE 1.1 JSON package or a Moodle framework CSV.")

    def add_arguments(self, parser):
        parser.add_argument("code", help=gettext_lazy("Code of the framework, e.g. unesco-aicft-2024."))
        parser.add_argument("--format", choices=sorted(FORMATS), required=True)
        parser.add_argument(
            "--language",
            choices=["fr", "en"],
            help=gettext_lazy(
                "CASE: the document's language (default fr). Moodle: one language as plain text "
                "(default: both, in multilang spans)."
            ),
        )
        parser.add_argument("-o", "--output", help=gettext_lazy("File to write (default: standard output)."))

    def handle(self, *args, code, format, language=None, output=None, **options):
        framework = Framework.objects.filter(code=code).first()
        if framework is None:
            known = ", ".join(Framework.objects.values_list("code", flat=True)) or _("none")
            raise CommandError(
                _("No framework with code “%(code)s” (known: %(known)s).") % {"code": code, "known": known}
            )
        data = export_framework(framework=framework, format_name=format, language=language)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(
                self.style.SUCCESS(
                    _("Wrote %(file)s (%(size)d bytes, %(items)d items).")
                    % {"file": output, "size": len(data), "items": framework.items.count()}
                )
            )
        else:
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout.write(
                data.decode(), ending=""
            )
