"""The scoring engine's rules and edge cases (pure functions, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as s

from assessments import scoring
from assessments.scoring import Spec, normalise_text, ordering_points, parse_number, score

SINGLE = Spec(type="single", options=("a", "b", "c"), correct=frozenset({"b"}))
MULTI = Spec(type="multiple", options=("a", "b", "c", "d"), correct=frozenset({"a", "c"}))
ORDER = Spec(type="ordering", options=("1", "2", "3", "4", "5"))
MATCH = Spec(type="matching", pairs={"s1": "t1", "s2": "t2", "s3": "t3"})
TEXT = Spec(type="short_text", accepted=("hallucination", "L'éthique du numérique"))
NUM = Spec(type="numeric", minimum=Decimal("2.5"), maximum=Decimal("3.5"))
EXACT = Spec(type="numeric", minimum=Decimal("2021"), maximum=Decimal("2021"))


def test_single_and_true_false():
    assert score(SINGLE, "b") == scoring.Outcome(1, 1, True)
    assert score(SINGLE, "a") == scoring.Outcome(0, 1, False)
    assert score(SINGLE, None) == scoring.Outcome(0, 1, False)
    tf = Spec(type="true_false", options=("true", "false"), correct=frozenset({"false"}))
    assert score(tf, "false").success and not score(tf, "true").success


@pytest.mark.parametrize(
    ("ticked", "raw", "success"),
    [
        (["a", "c"], 2, True),
        (["a"], 1, False),  # one right, none wrong: partial credit
        (["a", "b"], 0, False),  # one right, one wrong: cancels out
        (["a", "b", "c"], 1, False),
        (["a", "b", "c", "d"], 0, False),  # ticking everything earns nothing
        (["b", "d"], 0, False),  # never below zero
        ([], 0, False),
    ],
)
def test_multiple_response_right_minus_wrong_floored(ticked, raw, success):
    outcome = score(MULTI, ticked)
    assert (outcome.raw, outcome.max, outcome.success) == (raw, 2, success)
    assert isinstance(outcome.raw, int)


@pytest.mark.parametrize(
    ("order", "raw"),
    [
        (["1", "2", "3", "4", "5"], 4),
        (["5", "4", "3", "2", "1"], 0),  # reversed
        (["5", "1", "2", "3", "4"], 3),  # last moved to the front loses one pair only
        (["2", "1", "3", "4", "5"], 3),  # one swap
        (["1", "3", "2", "4", "5"], 3),  # a swap in the middle breaks only the 2→3 pair
    ],
)
def test_ordering_consecutive_pairs(order, raw):
    outcome = score(ORDER, order)
    assert outcome.raw == raw and outcome.max == 4
    assert outcome.success is (raw == 4)


def test_ordering_ties_earn_nothing_for_the_tied_pair():
    # ranks given as positions: items 2 and 3 both at position 2
    assert ordering_points(ORDER.options, {"1": 1, "2": 2, "3": 2, "4": 4, "5": 5}) == 3
    # everything tied: nothing
    assert ordering_points(ORDER.options, dict.fromkeys(ORDER.options, 1)) == 0
    # missing items earn nothing for their pairs
    assert ordering_points(ORDER.options, ["1", "2"]) == 1


def test_matching_one_point_per_source_and_shared_targets():
    assert score(MATCH, {"s1": "t1", "s2": "t2", "s3": "t3"}) == scoring.Outcome(3, 3, True)
    assert score(MATCH, {"s1": "t1", "s2": "t3", "s3": "t2"}).raw == 1
    # a "tie": every source to the same target earns at most the one it is right for
    assert score(MATCH, {"s1": "t1", "s2": "t1", "s3": "t1"}).raw == 1
    assert score(MATCH, {"s1": "t4", "s2": "t4", "s3": "t4"}).raw == 0
    assert score(MATCH, {"s1": "t1"}).raw == 1  # unmatched sources earn nothing
    assert score(MATCH, {"zz": "t1"}).raw == 0


@pytest.mark.parametrize(
    "text",
    [
        "hallucination",
        "  Hallucination ",
        "HALLUCINATION",
        "hallucination\u00a0",
        "l’ethique  du numerique",
        "L'ÉTHIQUE DU NUMÉRIQUE",
    ],
)
def test_short_text_folds_case_accents_spaces_and_apostrophes(text):
    assert score(TEXT, text).success


@pytest.mark.parametrize("text", ["", "   ", "hallucinations?", "hallu cination", "éthique"])
def test_short_text_wrong(text):
    assert not score(TEXT, text).success


def test_short_text_case_and_accent_options():
    strict = Spec(type="short_text", accepted=("Éthique",), case_sensitive=True, accent_sensitive=True)
    assert score(strict, " Éthique ").success
    assert not score(strict, "éthique").success  # case matters
    assert not score(strict, "Ethique").success  # accents matter
    accents_only = Spec(type="short_text", accepted=("Éthique",), accent_sensitive=True)
    assert score(accents_only, "éTHIQUE").success
    assert not score(accents_only, "ethique").success
    # decomposed (NFD) input is the same text as composed
    assert score(strict, "E\u0301thique").success


def test_normalise_ligatures():
    assert normalise_text("Cœur") == normalise_text("coeur")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,5", Decimal("3.5")),
        ("3.5", Decimal("3.5")),
        (" -2 ", Decimal("-2")),
        ("+4", Decimal("4")),
        ("2 021", Decimal("2021")),
        ("2\u202f021", Decimal("2021")),
        ("1 000 000,25", Decimal("1000000.25")),
        (",5", Decimal("0.5")),
        ("7,", Decimal("7")),
    ],
)
def test_parse_number_accepts_french_and_english_forms(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,234.5", "1.2.3", "1e3", "12 34", "3,5,6", "--1", "NaN", "Infinity"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2,5", True), ("3,5", True), ("3", True), ("2,49", False), ("3,51", False), ("3.50", True), ("abc", False)],
)
def test_numeric_range_is_inclusive(text, ok):
    assert score(NUM, text).success is ok


def test_numeric_exact_and_open_ranges():
    assert score(EXACT, "2 021").success
    assert not score(EXACT, "2021,5").success
    at_least = Spec(type="numeric", minimum=Decimal("10"))
    assert score(at_least, "1000").success and not score(at_least, "9,99").success


def test_likert_is_not_scored():
    outcome = score(Spec(type="likert", options=("1", "2", "3")), "2")
    assert outcome == scoring.Outcome(0, 0, None) and outcome.scaled is None


def test_quiz_total_and_pass_mark_in_integers():
    outcomes = [scoring.Outcome(1, 1, True), scoring.Outcome(1, 2, False), scoring.Outcome(0, 0, None)]
    assert scoring.total(outcomes) == (2, 3)
    assert scoring.passes(7, 10, 70) and not scoring.passes(69, 100, 70)
    assert scoring.passes(14, 20, 70)  # exactly 70 %: no float rounding
    assert not scoring.passes(0, 3, 1)
    assert scoring.passes(0, 0, 70)  # nothing scored (opinion only): nothing to fail


@given(s.permutations(list("abcdef")))
def test_ordering_points_bounds_and_full_marks_only_for_the_right_order(order):
    right = list("abcdef")
    points = ordering_points(right, order)
    assert 0 <= points <= len(right) - 1
    assert (points == len(right) - 1) == (order == right)


@given(s.sets(s.sampled_from("abcdef")))
def test_multiple_bounds(ticked):
    spec = Spec(type="multiple", options=tuple("abcdef"), correct=frozenset("ace"))
    outcome = score(spec, sorted(ticked))
    assert 0 <= outcome.raw <= 3
    assert outcome.success == (ticked == set("ace"))


@given(s.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6))
def test_parse_number_round_trips_french_writing(value):
    text = format(value, "f").replace(".", ",")
    assert parse_number(text) == value
