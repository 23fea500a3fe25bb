"""French typography of the shipped content: every French string of the demo course, the demo quizzes and the legal
pages puts a non-breaking space (U+00A0 or the narrow U+202F) before « : ; ? ! » and inside « », never an ordinary one.

The check reads the JSON files that `load_demo` loads, so a new lesson, question or legal page is covered as soon as
it is written. French strings are those under a "fr" key, plus the lessons' "facts_checked_against" lists (French).
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

import pytest

from assessments import scoring

CONTENT_DIRS = ("courses/content", "assessments/content", "privacy/content")
# Every content file load_demo reads: a new course or quiz file is checked as soon as it is added.
CONTENT_FILES = tuple(
    str(path.relative_to(settings.BASE_DIR))
    for folder in CONTENT_DIRS
    for path in sorted((Path(settings.BASE_DIR) / folder).glob("*.json"))
)
QUIZ_FILE = "assessments/content/demo_quizzes.json"
NON_TEXT_KEYS = {"slug", "url", "key", "id", "type", "kind", "date"}
NON_BREAKING = "\u00a0\u202f"

# Each rule: (what is wrong, pattern that finds it). Text is checked after removing HTML tags, entities and URLs.
RULES = (
    ("ordinary space before a high punctuation mark", re.compile(rf"[^\S{NON_BREAKING}]+[:;?!]")),
    ("« not followed by a non-breaking space", re.compile(rf"«(?![{NON_BREAKING}])")),
    ("» not preceded by a non-breaking space", re.compile(rf"(?<![{NON_BREAKING}])»")),
)
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
URL = re.compile(r"https?://[^\s<\"]+")


def french_strings(node: object, path: str = "", french: bool = False) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in NON_TEXT_KEYS:
                continue
            yield from french_strings(value, f"{path}/{key}", french or key in ("fr", "facts_checked_against"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from french_strings(value, f"{path}/{index}", french)
    elif isinstance(node, str) and french:
        yield path, node


def typography_errors(text: str) -> list[str]:
    visible = URL.sub("", ENTITY.sub("&", TAG.sub("", text)))
    errors = []
    for label, pattern in RULES:
        for match in pattern.finditer(visible):
            start = max(0, match.start() - 25)
            errors.append(f"{label}: …{visible[start : match.end() + 10]}…")
    return errors


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Idée clé\u00a0: plausible n'est pas vrai", []),
        ("Pourquoi\u202f? Parce que\u202f!", []),
        ("le «\u00a0prompt\u00a0» ou la «\u202fconsigne\u202f»", []),
        ('<a href="https://example.org/?a=1">lien</a> et R&amp;D\u00a0; fin', []),
        ("Idée clé : plausible", ["ordinary space before a high punctuation mark"]),
        ("Vraiment ?", ["ordinary space before a high punctuation mark"]),
        ("un « prompt »", ["« not followed by a non-breaking space", "» not preceded by a non-breaking space"]),
        ("un «prompt»", ["« not followed by a non-breaking space", "» not preceded by a non-breaking space"]),
    ],
)
def test_the_check_tells_good_from_bad_typography(text, expected):
    assert [error.split(":")[0] for error in typography_errors(text)] == expected


def test_every_french_string_of_the_shipped_content_uses_non_breaking_spaces():
    errors = []
    for name in CONTENT_FILES:
        data = json.loads((Path(settings.BASE_DIR) / name).read_text(encoding="utf-8"))
        strings = list(french_strings(data))
        assert len(strings) >= 6, f"the French strings of {name} should be found"
        errors += [f"{name}{path}: {error}" for path, text in strings for error in typography_errors(text)]
    assert not errors, "\n".join(errors)


def test_french_content_uses_the_french_name_of_the_ai_act():
    # « règlement européen sur l'IA » in French prose; "AI Act" only inside an English title or next to the French name.
    offenders = []
    for name in CONTENT_FILES:
        data = json.loads((Path(settings.BASE_DIR) / name).read_text(encoding="utf-8"))
        for path, text in french_strings(data):
            for match in re.finditer(r"AI Act", text):
                around = text[max(0, match.start() - 60) : match.end() + 5]
                if "règlement" in around or "’s" in around or "'s" in around or "EU AI Act" in around:
                    continue
                offenders.append(f"{name}{path}: …{around}…")
    assert not offenders, "\n".join(offenders)


# One inclusive-writing rule (circulaire du 21 novembre 2017, Journal officiel du 22 novembre 2017): no median dot,
# point or parenthesis inside a word (« enseignant·e·s », « élu.e.s », « un(e) »); doublets (« les enseignantes et les
# enseignants ») or epicene words (« le personnel enseignant », « les élèves ») instead.
INCLUSIVE_MARKS = re.compile(r"[a-zà-ÿ][·.•]e(?:[·.•]?s)?\b|[a-zà-ÿ]\((?:e|es|s|ne|le)\)", re.IGNORECASE)


@pytest.mark.parametrize(
    "text, found",
    [
        ("les enseignant·e·s", True),
        ("les élu.e.s", True),
        ("un(e) collègue", True),
        ("les enseignantes et les enseignants", False),
        ("le personnel enseignant · 40 min", False),
        ("voir www.example.org et le site", False),
    ],
)
def test_the_inclusive_writing_check_finds_median_dots(text, found):
    assert bool(INCLUSIVE_MARKS.search(text)) is found


def test_french_content_follows_one_inclusive_writing_rule():
    offenders = []
    for name in CONTENT_FILES:
        data = json.loads((Path(settings.BASE_DIR) / name).read_text(encoding="utf-8"))
        for path, text in french_strings(data):
            visible = URL.sub("", ENTITY.sub("&", TAG.sub("", text)))
            for match in INCLUSIVE_MARKS.finditer(visible):
                offenders.append(f"{name}{path}: …{visible[max(0, match.start() - 30) : match.end() + 10]}…")
    assert not offenders, "\n".join(offenders)


def _question(key: str) -> dict:
    quizzes = json.loads((Path(settings.BASE_DIR) / QUIZ_FILE).read_text(encoding="utf-8"))["quizzes"]
    return next(q for quiz in quizzes for q in quiz["questions"] if q["key"] == key)


@pytest.mark.parametrize(
    "lang, answer, expected",
    [("fr", "Consigne", True), ("fr", " une consigne ", True), ("fr", "prompt", True), ("fr", "réponse", False)],
)
def test_the_prompt_question_accepts_the_course_own_word_consigne(lang, answer, expected):
    # The glossary and the headings of module 2 say « consigne »: the short-answer question must not refuse it.
    question = _question("q-m2-06")
    spec = scoring.Spec(
        type=scoring.SHORT_TEXT,
        accepted=tuple(question["accepted"][lang]),
        case_sensitive=question["case_sensitive"],
        accent_sensitive=question["accent_sensitive"],
    )
    assert scoring.short_text_matches(spec, answer) is expected
