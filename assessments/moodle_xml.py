"""Moodle XML (the question format of Moodle and M@gistère): reading a file into plain data, writing questions out.

No database here: `moodle_xml_reader.parse()` turns bytes into the `ParsedQuestion`s of this module (or raises
`MoodleXMLError` listing every problem, each naming the question by its number and name, and the field);
`moodle_xml_writer.dump()` writes `Question`s. Writing to the bank is `assessments.bank_import` (all or nothing).

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
from decimal import Decimal
from html.parser import HTMLParser

from django.utils.translation import gettext as _

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
