import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from competencies.formats import FORMATS, FormatError
from competencies.importing import import_frameworks

CHUNK = 1024 * 1024  # files larger than this are read with a progress line every tenth


class Command(BaseCommand):
    help = gettext_lazy(
        "Import competency frameworks from CASE 1.1/1.0 JSON packages or Moodle framework CSV files. Several files "
        "are imported together (frameworks that refer to each other). Everything is checked first: on any problem "
        "nothing is imported. Importing the same file again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="file", help=gettext_lazy("Files to import ('-': standard input).")
        )
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help=gettext_lazy("Format of the files (guessed when omitted).")
        )
        parser.add_argument(
            "--language",
            choices=["fr", "en"],
            help=gettext_lazy(
                "Language of the texts (CASE: overrides the document's; Moodle: for text outside multilang spans)."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Check and report, write nothing."))

    def read(self, file: str) -> tuple[str, bytes]:
        if file == "-":
            return "stdin", sys.stdin.buffer.read()
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        size = path.stat().st_size
        self.stdout.write(_("Reading %(name)s (%(size)d bytes)…") % {"name": path.name, "size": size})
        if size <= CHUNK:
            return path.name, path.read_bytes()
        parts, done, shown = [], 0, 0
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                parts.append(chunk)
                done += len(chunk)
                percent = done * 100 // size
                if percent >= shown + 10 or done == size:
                    shown = percent - percent % 10
                    self.stdout.write(_("  %(percent)d%% read") % {"percent": percent})
        return path.name, b"".join(parts)

    def handle(self, *args, files, format=None, language=None, dry_run=False, **options):
        loaded = [self.read(file) for file in files]
        self.stdout.write(
            ngettext("Checking %(n)d file…", "Checking %(n)d files together…", len(loaded)) % {"n": len(loaded)}
        )
        try:
            reports = import_frameworks(files=loaded, format_name=format, language=language, dry_run=dry_run)
        except FormatError as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                ngettext(
                    "%(n)d problem found: nothing was imported.",
                    "%(n)d problems found: nothing was imported.",
                    len(exc.errors),
                )
                % {"n": len(exc.errors)}
            ) from None
        for report in reports:
            prefix = _("[dry run] ") if dry_run else ""
            self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}"))
            if report.deleted:
                self.stdout.write(_("  removed: %(items)s") % {"items": ", ".join(report.deleted)})
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(_("  warning: %(warning)s") % {"warning": warning}))
