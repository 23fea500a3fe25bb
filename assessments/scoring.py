"""The scoring engine: pure functions, no database. Every rule is stated here and in docs/assessments.md.

A response is always expressed with the question's *stable* ids (never the per-attempt tokens):

- single, true_false, likert: the chosen id (`str`)
- multiple: the ticked ids (`list[str]`, any order)
- ordering: the ids in the learner's order (`list[str]`), or a rank per id (`dict[str, int]`, ties allowed here)
- matching: `dict[source_id, target_id]` (a source left unmatched is simply absent)
- short_text: the text typed
- numeric: the `Decimal` parsed by `parse_number`

Points (raw scores are integers):

- single, true_false, short_text, numeric: 1 point if right, else 0 (maximum 1).
- multiple: maximum = the number of right options; points = right options ticked − wrong options ticked, never
  below 0. Ticking everything therefore earns nothing more than guessing.
- ordering: maximum = n − 1 (the n − 1 consecutive pairs of the right order); one point for each consecutive pair
  placed in the right relative order. Items placed at the same rank (a tie) earn nothing for that pair. A single item
  moved to the wrong end loses one point, not all of them.
- matching: maximum = the number of sources; one point per source matched to its right target. Several sources may
  point to the same target (distractor targets are allowed), each is scored on its own.
- likert (opinion scale): not scored (maximum 0, success undefined).

A question is a *success* when it earns all its points. The quiz's raw score is the sum of the points, its maximum
the sum of the maxima, and the scaled score raw / maximum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
ORDERING = "ordering"
MATCHING = "matching"
SHORT_TEXT = "short_text"
NUMERIC = "numeric"
LIKERT = "likert"
TYPES = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING, SHORT_TEXT, NUMERIC, LIKERT)
SCORED_TYPES = frozenset(TYPES) - {LIKERT}


@dataclass(frozen=True)
class Spec:
    """What the engine needs to know about a question (built from the model by `Question.spec()`)."""

    type: str
    correct: frozenset[str] = frozenset()  # single/multiple/true_false: right option ids
    options: tuple[str, ...] = ()  # choice / item / scale ids; ordering: the right order
    pairs: Mapping[str, str] = field(default_factory=dict)  # matching: source id -> right target id
    accepted: tuple[str, ...] = ()  # short_text
    case_sensitive: bool = False
    accent_sensitive: bool = False
    minimum: Decimal | None = None  # numeric (inclusive)
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Outcome:
    raw: int
    max: int
    success: bool | None  # None for an opinion scale

    @property
    def scaled(self) -> float | None:
        return self.raw / self.max if self.max else None


def max_points(spec: Spec) -> int:
    if spec.type == MULTIPLE:
        return len(spec.correct)
    if spec.type == ORDERING:
        return max(len(spec.options) - 1, 0)
    if spec.type == MATCHING:
        return len(spec.pairs)
    if spec.type == LIKERT:
        return 0
    return 1


def _outcome(raw: int, spec: Spec) -> Outcome:
    top = max_points(spec)
    raw = max(0, min(raw, top))
    return Outcome(raw=raw, max=top, success=raw == top)


def score(spec: Spec, response: Any) -> Outcome:
    """Points for one response (see the module docstring for the rules)."""
    kind = spec.type
    if kind == LIKERT:
        return Outcome(raw=0, max=0, success=None)
    if response is None:
        return _outcome(0, spec)
    if kind in (SINGLE, TRUE_FALSE):
        return _outcome(int(str(response) in spec.correct), spec)
    if kind == MULTIPLE:
        ticked = set(response)
        return _outcome(len(ticked & spec.correct) - len(ticked - spec.correct), spec)
    if kind == ORDERING:
        return _outcome(ordering_points(spec.options, response), spec)
    if kind == MATCHING:
        return _outcome(sum(1 for s, t in dict(response).items() if spec.pairs.get(s) == t), spec)
    if kind == SHORT_TEXT:
        return _outcome(int(short_text_matches(spec, str(response))), spec)
    if kind == NUMERIC:
        value = response if isinstance(response, Decimal) else parse_number(str(response))
        return _outcome(int(value is not None and numeric_matches(spec, value)), spec)
    raise ValueError(f"unknown question type {kind!r}")


def ordering_points(right_order: Sequence[str], response: Sequence[str] | Mapping[str, int]) -> int:
    """One point per consecutive pair of the right order placed in the right relative order (ties earn nothing)."""
    if isinstance(response, Mapping):
        rank = {k: int(v) for k, v in response.items()}
    else:
        rank = {item: i for i, item in enumerate(response)}
    points = 0
    for first, second in zip(right_order, right_order[1:], strict=False):
        if first in rank and second in rank and rank[first] < rank[second]:
            points += 1
    return points


# --- short text ------------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"'})


def normalise_text(text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False) -> str:
    """Trim, collapse inner spaces (including non-breaking ones), unify apostrophes; fold case and accents unless
    the question says they matter. "  L’Éthique " and "l'ethique" are then the same answer."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _SPACES.sub(" ", text).strip()
    if not accent_sensitive:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
        text = unicodedata.normalize("NFC", text)
    if not case_sensitive:
        text = text.casefold()
    return text


def short_text_matches(spec: Spec, text: str) -> bool:
    given = normalise_text(text, case_sensitive=spec.case_sensitive, accent_sensitive=spec.accent_sensitive)
    if not given:
        return False
    return any(
        given == normalise_text(a, case_sensitive=spec.case_sensitive, accent_sensitive=spec.accent_sensitive)
        for a in spec.accepted
    )


# --- numbers -----------------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d*)?$")


def parse_number(text: str) -> Decimal | None:
    """A number as a French or English speaker types it: "3,5", "3.5", "-2", "2 021" (spaces, including
    non-breaking ones, group thousands). Returns None for anything else ("1,234.5", "12abc", "", "1e3")."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not text:
        return None
    if " " in text:
        if not _GROUPED.match(text):
            return None
        text = text.replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex lets only valid decimals through
        return None


def numeric_matches(spec: Spec, value: Decimal) -> bool:
    if spec.minimum is not None and value < spec.minimum:
        return False
    if spec.maximum is not None and value > spec.maximum:
        return False
    return spec.minimum is not None or spec.maximum is not None


def number_text(value: Decimal) -> str:
    """A Decimal as xAPI writes a number: "3.5", "2021" (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


# --- the quiz ------------------------------------------------------------------------------------------------------


def total(outcomes: Iterable[Outcome]) -> tuple[int, int]:
    raw = top = 0
    for outcome in outcomes:
        raw += outcome.raw
        top += outcome.max
    return raw, top


def passes(raw: int, top: int, pass_mark_percent: int) -> bool:
    """Passed when raw / max reaches the pass mark (compared in integers: no rounding surprise at 70 %)."""
    if top == 0:
        return True
    return raw * 100 >= pass_mark_percent * top
