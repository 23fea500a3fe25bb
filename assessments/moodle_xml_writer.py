"""Writing questions out as Moodle XML (`assessments.moodle_xml` describes the mapping): a file exported here comes
back identical."""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from . import scoring
from .moodle_xml import LIKERT_MARK, text_to_html


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
