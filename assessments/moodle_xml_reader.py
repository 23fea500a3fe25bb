"""Reading a Moodle XML file into plain data (`assessments.moodle_xml` describes the mapping)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _
from django.utils.translation import override

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from . import scoring
from .moodle_xml import (
    LIKERT_MARK,
    SKIPPED,
    MoodleXMLError,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    UnsupportedQuestion,
    html_to_text,
    problem,
)


def _text(element: Element | None, path: str = "text") -> str:
    """The text of `element/path` (converted from HTML when the element says so)."""
    if element is None:
        return ""
    node = element.find(path) if path else element
    raw = (node.text or "") if node is not None else ""
    if element.get("format", "html") in ("html", "moodle_auto_format", "markdown"):
        return html_to_text(raw)
    return raw.strip()


def _child_text(question: Element, tag: str) -> str:
    node = question.find(tag)
    return (node.text or "").strip() if node is not None else ""


def _fraction(answer: Element) -> Decimal:
    try:
        return Decimal(answer.get("fraction", "0"))
    except InvalidOperation as exc:
        raise ValueError(_("the fraction “%(value)s” is not a number") % {"value": answer.get("fraction")}) from exc


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes")


def _letters(n: int) -> str:
    """a, b, … z, then o27, o28…: keys for choices."""
    return chr(ord("a") + n) if n < 26 else f"o{n + 1}"


def _answers(question: Element) -> list[Element]:
    return question.findall("answer")


def parse(data: bytes, *, language: str = "fr") -> ParseResult:
    """Read a Moodle XML file. A file that cannot be read raises `MoodleXMLError`; problems in single questions are
    returned in `errors` (question number, message), so that the caller can add its own and report them all."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as exc:
        raise MoodleXMLError([_("The file is not valid XML: %(error)s") % {"error": exc}]) from exc
    if root.tag != "quiz":
        raise MoodleXMLError([_("This is not a Moodle XML question file (its root element is not <quiz>).")])
    questions: list[ParsedQuestion] = []
    unsupported: list[UnsupportedQuestion] = []
    errors: list[tuple[int, str]] = []
    number = 0
    for element in root.findall("question"):
        moodle_type = element.get("type", "")
        if moodle_type in SKIPPED:
            continue
        number += 1
        name = _text(element.find("name")) or ""
        if moodle_type not in READERS:
            unsupported.append(UnsupportedQuestion(number=number, name=name, moodle_type=moodle_type or "?"))
            continue
        parsed = ParsedQuestion(number=number, name=name, question_type="")
        try:
            _common(parsed, element)
            READERS[moodle_type](parsed, element, language)
        except ValueError as exc:
            field_label, message = exc.args if len(exc.args) == 2 else (_("question"), exc.args[0])
            errors.append((number, problem(number, name, field_label, message)))
            continue
        if not name:
            errors.append((number, problem(number, name, _("name"), _("the question has no name"))))
        if not parsed.prompt:
            errors.append((number, problem(number, name, _("question text"), _("the question has no text"))))
        questions.append(parsed)
    if not questions and not unsupported and not errors:
        raise MoodleXMLError([_("The file holds no question.")])
    return ParseResult(questions=questions, unsupported=unsupported, errors=errors)


def _common(parsed: ParsedQuestion, element: Element) -> None:
    parsed.prompt = _text(element.find("questiontext"))
    parsed.general_feedback = _text(element.find("generalfeedback"))
    parsed.idnumber = _child_text(element, "idnumber")
    parsed.tags = [t for t in (_text(tag) for tag in element.findall("tags/tag")) if t]
    parsed.explanation = _child_text(element, "lms_explanation")
    source = element.find("lms_source")
    if source is not None:
        parsed.source_title = source.get("title", "")
        parsed.source_url = source.get("url", "")
        parsed.source_date = source.get("date", "")
    difficulty = _child_text(element, "lms_difficulty")
    if difficulty:
        if difficulty not in ("1", "2", "3"):
            raise ValueError(_("difficulty"), _("must be 1, 2 or 3"))
        parsed.difficulty = int(difficulty)
    for node in element.findall("lms_competency"):
        parsed.competencies.append((node.get("framework", ""), node.get("code", "")))
    parsed.accent_sensitive = _bool(_child_text(element, "lms_accentsensitive") or "0")


def _read_multichoice(parsed: ParsedQuestion, element: Element, language: str) -> None:
    single = _bool(_child_text(element, "single") or "true")
    likert = _child_text(element, "lms_type") == LIKERT_MARK
    answers = _answers(element)
    if len(answers) < 2:
        raise ValueError(_("answers"), _("give at least two answers"))
    if likert:
        parsed.question_type = scoring.LIKERT
        for i, answer in enumerate(answers):
            parsed.options.append(ParsedOption(role="scale", key=str(i + 1), text=_text(answer)))
        return
    parsed.question_type = scoring.SINGLE if single else scoring.MULTIPLE
    for i, answer in enumerate(answers):
        fraction = _fraction(answer)
        if single and 0 < fraction < 100:
            raise ValueError(
                _("answer %(n)d") % {"n": i + 1},
                _("partial credit (%(fraction)s %%) is not supported: an answer is right (100 %%) or wrong (0 %%)")
                % {"fraction": answer.get("fraction")},
            )
        text = _text(answer)
        if not text:
            raise ValueError(_("answer %(n)d") % {"n": i + 1}, _("the answer has no text"))
        parsed.options.append(
            ParsedOption(
                role="choice", key=_letters(i), text=text, correct=fraction > 0, feedback=_text(answer.find("feedback"))
            )
        )


def _read_truefalse(parsed: ParsedQuestion, element: Element, language: str) -> None:
    parsed.question_type = scoring.TRUE_FALSE
    options = {}
    with override(language):
        labels = {"true": _("True"), "false": _("False")}
    for answer in _answers(element):
        key = _text(answer, "text").lower()
        if key not in labels:
            raise ValueError(_("answers"), _("a true/false answer must be “true” or “false”, not “%(v)s”") % {"v": key})
        options[key] = ParsedOption(
            role="choice",
            key=key,
            text=labels[key],
            correct=_fraction(answer) >= 100,
            feedback=_text(answer.find("feedback")),
        )
    if set(options) != {"true", "false"}:
        raise ValueError(_("answers"), _("a true/false question has one “true” and one “false” answer"))
    parsed.options = [options["true"], options["false"]]


def _read_shortanswer(parsed: ParsedQuestion, element: Element, language: str) -> None:
    parsed.question_type = scoring.SHORT_TEXT
    parsed.case_sensitive = _bool(_child_text(element, "usecase") or "0")
    for i, answer in enumerate(_answers(element)):
        fraction = _fraction(answer)
        text = _text(answer, "text")
        if fraction <= 0:
            continue  # a wrong answer with its own feedback: every other answer is wrong here anyway
        if fraction < 100:
            raise ValueError(
                _("answer %(n)d") % {"n": i + 1},
                _("partial credit (%(fraction)s %%) is not supported") % {"fraction": answer.get("fraction")},
            )
        if "*" in text:
            raise ValueError(_("answer %(n)d") % {"n": i + 1}, _("the wildcard * is not supported"))
        parsed.accepted_answers.append(text)
    if not parsed.accepted_answers:
        raise ValueError(_("answers"), _("give at least one answer at 100 %"))


def _decimal(value: str, field_label: str) -> Decimal:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(field_label, _("“%(v)s” is not a number") % {"v": value}) from exc
    if not number.is_finite():
        raise ValueError(field_label, _("“%(v)s” is not a number") % {"v": value})
    return number


def _read_numerical(parsed: ParsedQuestion, element: Element, language: str) -> None:
    parsed.question_type = scoring.NUMERIC
    right = [a for a in _answers(element) if _fraction(a) >= 100]
    partial = [a for a in _answers(element) if 0 < _fraction(a) < 100]
    if partial:
        raise ValueError(_("answers"), _("partial credit is not supported"))
    if len(right) != 1:
        raise ValueError(_("answers"), _("give exactly one answer at 100 % (with its tolerance)"))
    value = _decimal(_text(right[0], "text"), _("answer"))
    tolerance = abs(_decimal(_child_text(right[0], "tolerance") or "0", _("tolerance")))
    parsed.numeric_min, parsed.numeric_max = value - tolerance, value + tolerance


def _read_matching(parsed: ParsedQuestion, element: Element, language: str) -> None:
    parsed.question_type = scoring.MATCHING
    targets: dict[str, ParsedOption] = {}
    sources: list[ParsedOption] = []
    for i, sub in enumerate(element.findall("subquestion")):
        source_text = _text(sub)
        target_text = _text(sub.find("answer"), "text") if sub.find("answer") is not None else ""
        if not target_text:
            raise ValueError(_("pair %(n)d") % {"n": i + 1}, _("the answer is empty"))
        if target_text not in targets:
            targets[target_text] = ParsedOption(role="target", key=f"t{len(targets) + 1}", text=target_text)
        if source_text:
            sources.append(
                ParsedOption(
                    role="source", key=f"s{len(sources) + 1}", text=source_text, match_key=targets[target_text].key
                )
            )
    if len(sources) < 2:
        raise ValueError(_("pairs"), _("give at least two pairs"))
    parsed.options = [*sources, *targets.values()]


def _read_ordering(parsed: ParsedQuestion, element: Element, language: str) -> None:
    parsed.question_type = scoring.ORDERING
    answers = _answers(element)
    ranked = sorted(enumerate(answers), key=lambda pair: (_fraction(pair[1]), pair[0]))
    for position, (i, answer) in enumerate(ranked):
        text = _text(answer)
        if not text:
            raise ValueError(_("item %(n)d") % {"n": i + 1}, _("the item has no text"))
        parsed.options.append(ParsedOption(role="item", key=f"i{position + 1}", text=text))
    if len(parsed.options) < 2:
        raise ValueError(_("items"), _("give at least two items to order"))


READERS = {
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "shortanswer": _read_shortanswer,
    "numerical": _read_numerical,
    "matching": _read_matching,
    "ordering": _read_ordering,
}


# --- writing ---------------------------------------------------------------------------------------------------------
