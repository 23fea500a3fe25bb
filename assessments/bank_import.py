"""Importing a Moodle XML file into the question bank: all or nothing, every problem listed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import Locale

from competencies.models import CompetencyItem

from . import moodle_xml, moodle_xml_reader
from .models import Question, QuestionOption, option_problems


@dataclass
class BankImportReport:
    """What an import did (or, on a dry run, would do)."""

    created: list[str]
    unsupported: list[moodle_xml.UnsupportedQuestion]
    language: str
    dry_run: bool = False

    def summary(self) -> str:
        return ngettext("%(count)d question imported.", "%(count)d questions imported.", len(self.created)) % {
            "count": len(self.created)
        }


def _field_label(model, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return _("question")
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _identity(parsed: moodle_xml.ParsedQuestion, *, locale: Locale, taken: set[tuple[UUID, int]], used: set[UUID]):
    """The translation key of an imported question: its Moodle idnumber when it is one of ours and free."""
    key = _uuid_or_none(parsed.idnumber)
    if key is None:
        return uuid4(), None
    if (key, locale.pk) in taken:
        return None, _("this question is already in the bank (same idnumber): remove it from the file or the bank")
    return (uuid4() if key in used else key), None


@transaction.atomic
def import_moodle_questions(*, data: bytes, locale: Locale, user=None, dry_run: bool = False) -> BankImportReport:
    """Import a Moodle XML file into the bank, in `locale`. All or nothing: any problem raises
    `moodle_xml.MoodleXMLError` listing every problem (question number and name, field) and nothing is written.
    Unsupported Moodle types are not imported and are listed in the report."""
    result = moodle_xml_reader.parse(data, language=locale.language_code)
    wanted = {ref for parsed in result.questions for ref in parsed.competencies}
    items = {
        (item.framework.code, item.code): item
        for item in CompetencyItem.objects.select_related("framework").filter(
            framework__code__in={f for f, _c in wanted}, code__in={c for _f, c in wanted}
        )
    }
    idnumbers = {_uuid_or_none(parsed.idnumber) for parsed in result.questions} - {None}
    existing = set(Question.objects.filter(translation_key__in=idnumbers).values_list("translation_key", "locale_id"))
    used = {key for key, _locale in existing}
    errors: list[tuple[int, str]] = list(result.errors)
    built: list[Question] = []
    for parsed in result.questions:
        problems: list[tuple[str, str]] = []
        key, key_problem = _identity(parsed, locale=locale, taken=existing, used=used)
        if key_problem:
            problems.append((_("idnumber"), key_problem))
        question = Question(
            title=parsed.name,
            question_type=parsed.question_type,
            prompt=parsed.prompt,
            difficulty=parsed.difficulty,
            tags=", ".join(parsed.tags),
            general_feedback=parsed.general_feedback,
            explanation=parsed.explanation,
            source_title=parsed.source_title,
            source_url=parsed.source_url,
            source_date=parsed.source_date,
            accepted_answers="\n".join(parsed.accepted_answers),
            case_sensitive=parsed.case_sensitive,
            accent_sensitive=parsed.accent_sensitive,
            numeric_min=parsed.numeric_min,
            numeric_max=parsed.numeric_max,
            locale=locale,
            translation_key=key or uuid4(),
        )
        try:
            question.full_clean(exclude=["translation_key", "locale"], validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.extend((_field_label(Question, name), m) for m in messages)
        options = [
            QuestionOption(
                role=o.role,
                key=o.key,
                text=o.text,
                correct=o.correct,
                match_key=o.match_key,
                feedback=o.feedback,
                sort_order=i,
            )
            for i, o in enumerate(parsed.options)
        ]
        for number, option in enumerate(options, start=1):
            try:
                option.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    label = _("option %(n)d, %(field)s") % {"n": number, "field": _field_label(QuestionOption, name)}
                    problems.extend((label, m) for m in messages)
        problems.extend(
            (_("answers"), str(p)) for p in option_problems(parsed.question_type, [vars(o) for o in parsed.options])
        )
        chosen = []
        for ref in parsed.competencies:
            if ref not in items:
                problems.append(
                    (
                        _("competency"),
                        _("no item %(code)s in the framework %(framework)s")
                        % dict(zip(("framework", "code"), ref, strict=True)),
                    )
                )
            else:
                chosen.append(items[ref])
        errors.extend(
            (parsed.number, moodle_xml.problem(parsed.number, parsed.name, label, str(m))) for label, m in problems
        )
        question.options = options
        question.competencies = chosen
        built.append(question)
    if errors:
        raise moodle_xml.MoodleXMLError([message for _number, message in sorted(errors, key=lambda e: e[0])])
    report = BankImportReport(
        created=[q.title for q in built], unsupported=result.unsupported, language=locale.language_code, dry_run=dry_run
    )
    if not dry_run:
        for question in built:
            question.save()
            question.save_revision(user=user, log_action=True)
    return report
