from pathlib import Path

from django.core.management.base import BaseCommand

from assessments import moodle_xml_writer
from assessments.models import QuestionType
from assessments.selectors import bank_questions


class Command(BaseCommand):
    help = "Export questions of the bank to a Moodle XML file (all, or filtered by type, language and tag)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file to write ('-': standard output).")
        parser.add_argument("--type", dest="question_type", choices=QuestionType.values, default="")
        parser.add_argument("--language", choices=["fr", "en"], default="")
        parser.add_argument("--tag", default="")

    def handle(self, *args, file, question_type="", language="", tag="", **options):
        questions = bank_questions(question_type=question_type, language=language, tag=tag)
        data = moodle_xml_writer.dump(questions)
        if file == "-":
            self.stdout.write(data.decode())
            return
        Path(file).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{len(questions)} question(s) written to {file}."))
