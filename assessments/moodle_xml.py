"""Moodle XML (the question format of Moodle and M@gistère): reading a file into plain data, writing questions out.

No database here: `parse()` turns bytes into `ParsedQuestion`s (or raises `MoodleXMLError` listing every problem,
each naming the question by its number and name, and the field); `dump()` writes `Question`s. Writing to the bank
is `assessments.services.import_moodle_questions` (all or nothing).

Mapping (also in docs/assessments.md):

| ours | Moodle |
|---|---|
| single choice | `multichoice`, `<single>true</single>`, the right answer at 100 %, the others at 0 % |
| multiple response | `multichoice`, `<single>false</single>`, right answers at 100/n %, wrong ones at −100/n % |
| true/false | `truefalse` |
| ordering | `ordering` (the qtype_ordering plugin, included in Moodle 4.4+), items in the right order |
| matching | `matching` (a subquestion with empty text is a distractor answer) |
| short text | `shortanswer` (answers at 100 % are accepted; `usecase` is "case matters") |
| numeric | `numerical` (one answer at 100 % with its tolerance: the range value ± tolerance) |
| opinion scale | `multichoice` single with every answer at 0 % and `<lms_type>likert</lms_type>` (Moodle has none) |

What Moodle has no place for (explanation, source, difficulty, competencies, "accents matter") travels in `lms_…`
elements that Moodle's importer ignores, so a file exported here comes back identical.

The XML is read with defusedxml: no DTD, no entity expansion, no external resource.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _
from django.utils.translation import override

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from . import scoring

# Moodle question types we cannot represent, with a readable name for the preview.
UNSUPPORTED = {
    "calculated": "Calculated",
    "calculatedmulti": "Calculated multichoice",
    "calculatedsimple": "Simple calculated",
    "ddimageortext": "Drag and drop onto image",
    "ddmarker": "Drag and drop markers",
    "ddwtos": "Drag and drop into text",
    "description": "Description (not a question)",
    "essay": "Essay",
    "gapselect": "Select missing words",
    "multianswer": "Embedded answers (Cloze)",
    "random": "Random question",
    "randomsamatch": "Random short-answer matching",
}
SKIPPED = {"category"}  # a category marker, not a question
LIKERT_MARK = "likert"


class MoodleXMLError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ParsedOption:
    role: str
    key: str
    text: str
    correct: bool = False
    match_key: str = ""
    feedback: str = ""


@dataclass
class ParsedQuestion:
    number: int
    name: str
    question_type: str
    prompt: str = ""
    general_feedback: str = ""
    explanation: str = ""
    source_title: str = ""
    source_url: str = ""
    source_date: str = ""
    difficulty: int = 1
    tags: list[str] = field(default_factory=list)
    competencies: list[tuple[str, str]] = field(default_factory=list)  # (framework code, item code)
    accepted_answers: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    accent_sensitive: bool = False
    numeric_min: Decimal | None = None
    numeric_max: Decimal | None = None
    options: list[ParsedOption] = field(default_factory=list)
    idnumber: str = ""


@dataclass
class UnsupportedQuestion:
    number: int
    name: str
    moodle_type: str

    @property
    def type_label(self) -> str:
        return UNSUPPORTED.get(self.moodle_type, self.moodle_type)


@dataclass
class ParseResult:
    questions: list[ParsedQuestion]
    unsupported: list[UnsupportedQuestion]
    errors: list[tuple[int, str]] = field(default_factory=list)  # (question number, message)


def problem(number: int, name: str, field_label: str, message: str) -> str:
    """One error line naming the question (number and name) and the field."""
    return _("Question %(number)d “%(name)s”, %(field)s: %(message)s") % {
        "number": number,
        "name": name or "—",
        "field": field_label,
        "message": message,
    }


# --- HTML to text ----------------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    BREAKS = {"br"}
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(value: str) -> str:
    parser = _Text()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_to_html(value: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]
    return "".join(f"<p>{'<br>'.join(html.escape(line) for line in p.splitlines())}</p>" for p in paragraphs)


# --- reading ---------------------------------------------------------------------------------------------------------


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


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text not in ("-0",) else "0"


def _fraction_text(value: Decimal | int) -> str:
    return format(Decimal(value).quantize(Decimal("0.0000001")).normalize(), "f")


def _html_text(parent: Element, tag: str, value: str, *, fmt: str = "html") -> Element:
    node = SubElement(parent, tag, format=fmt)
    SubElement(node, "text").text = text_to_html(value) if fmt == "html" else value
    return node


def _answer(parent: Element, fraction, text: str, feedback: str = "", *, fmt: str = "html") -> Element:
    node = SubElement(parent, "answer", fraction=_fraction_text(fraction), format=fmt)
    SubElement(node, "text").text = text_to_html(text) if fmt == "html" else text
    _html_text(node, "feedback", feedback)
    return node


MOODLE_TYPE = {
    scoring.SINGLE: "multichoice",
    scoring.MULTIPLE: "multichoice",
    scoring.LIKERT: "multichoice",
    scoring.TRUE_FALSE: "truefalse",
    scoring.SHORT_TEXT: "shortanswer",
    scoring.NUMERIC: "numerical",
    scoring.MATCHING: "matching",
    scoring.ORDERING: "ordering",
}


def dump(questions) -> bytes:
    """Moodle XML for the given questions (with `options` and `competencies__framework` prefetched)."""
    root = Element("quiz")
    for question in questions:
        kind = question.question_type
        node = SubElement(root, "question", type=MOODLE_TYPE[kind])
        name = SubElement(node, "name")
        SubElement(name, "text").text = question.title
        _html_text(node, "questiontext", question.prompt)
        _html_text(node, "generalfeedback", question.general_feedback)
        SubElement(node, "defaultgrade").text = "1"
        SubElement(node, "penalty").text = "0"
        SubElement(node, "hidden").text = "0"
        SubElement(node, "idnumber").text = str(question.translation_key)
        options = list(question.options.all())
        WRITERS[kind](node, question, options)
        if question.tag_list:
            tags = SubElement(node, "tags")
            for tag in question.tags.split(","):
                if tag.strip():
                    SubElement(SubElement(tags, "tag"), "text").text = tag.strip()
        if kind == scoring.LIKERT:
            SubElement(node, "lms_type").text = LIKERT_MARK
        SubElement(node, "lms_difficulty").text = str(question.difficulty)
        if question.explanation:
            SubElement(node, "lms_explanation").text = question.explanation
        if question.source_title or question.source_url or question.source_date:
            SubElement(
                node,
                "lms_source",
                title=question.source_title,
                url=question.source_url,
                date=question.source_date,
            )
        if question.accent_sensitive:
            SubElement(node, "lms_accentsensitive").text = "1"
        for item in sorted(question.competencies.all(), key=lambda i: (i.framework.code, i.path)):
            SubElement(node, "lms_competency", framework=item.framework.code, code=item.code)
    indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8") + b"\n"


def _write_choices(node: Element, question, options) -> None:
    kind = question.question_type
    SubElement(node, "single").text = "false" if kind == scoring.MULTIPLE else "true"
    SubElement(node, "shuffleanswers").text = "true"
    SubElement(node, "answernumbering").text = "abc"
    choices = [o for o in options if o.role == ("scale" if kind == scoring.LIKERT else "choice")]
    right = [o for o in choices if o.correct]
    for option in choices:
        if kind == scoring.LIKERT:
            fraction = Decimal(0)
        elif kind == scoring.MULTIPLE:
            share = Decimal(100) / max(len(right), 1)
            fraction = share if option.correct else -share
        else:
            fraction = Decimal(100) if option.correct else Decimal(0)
        _answer(node, fraction, option.text, option.feedback)


def _write_truefalse(node: Element, question, options) -> None:
    by_key = {o.key: o for o in options if o.role == "choice"}
    for key in ("true", "false"):
        option = by_key.get(key)
        _answer(
            node,
            100 if option is not None and option.correct else 0,
            key,
            option.feedback if option else "",
            fmt="moodle_auto_format",
        )


def _write_shortanswer(node: Element, question, options) -> None:
    SubElement(node, "usecase").text = "1" if question.case_sensitive else "0"
    for accepted in question.accepted_list():
        _answer(node, 100, accepted, fmt="moodle_auto_format")


def _write_numerical(node: Element, question, options) -> None:
    low = question.numeric_min if question.numeric_min is not None else question.numeric_max
    high = question.numeric_max if question.numeric_max is not None else question.numeric_min
    answer = _answer(node, 100, _number((low + high) / 2), fmt="moodle_auto_format")
    SubElement(answer, "tolerance").text = _number((high - low) / 2)


def _write_matching(node: Element, question, options) -> None:
    SubElement(node, "shuffleanswers").text = "true"
    targets = {o.key: o for o in options if o.role == "target"}
    used = set()
    for source in (o for o in options if o.role == "source"):
        sub = _html_text(node, "subquestion", source.text)
        target = targets.get(source.match_key)
        SubElement(SubElement(sub, "answer"), "text").text = target.text if target else ""
        used.add(source.match_key)
    for key, target in targets.items():
        if key not in used:  # a distractor: a subquestion with empty text
            sub = SubElement(node, "subquestion", format="html")
            SubElement(sub, "text").text = ""
            SubElement(SubElement(sub, "answer"), "text").text = target.text


def _write_ordering(node: Element, question, options) -> None:
    SubElement(node, "layouttype").text = "VERTICAL"
    SubElement(node, "selecttype").text = "ALL"
    SubElement(node, "selectcount").text = "0"
    SubElement(node, "gradingtype").text = "RELATIVE_NEXT_EXCLUDE_LAST"
    SubElement(node, "showgrading").text = "SHOW"
    SubElement(node, "numberingstyle").text = "none"
    for position, item in enumerate((o for o in options if o.role == "item"), start=1):
        _answer(node, position, item.text)


WRITERS = {
    scoring.SINGLE: _write_choices,
    scoring.MULTIPLE: _write_choices,
    scoring.LIKERT: _write_choices,
    scoring.TRUE_FALSE: _write_truefalse,
    scoring.SHORT_TEXT: _write_shortanswer,
    scoring.NUMERIC: _write_numerical,
    scoring.MATCHING: _write_matching,
    scoring.ORDERING: _write_ordering,
}
