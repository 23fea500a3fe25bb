import datetime as dt
import json
import uuid

from django.utils import timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xapi import statements as s
from xapi import vocabulary as v
from xapi.validation import assert_valid_statement

BASE = "https://formation-ia.example.org"
ACTOR = {"objectType": "Agent", "account": {"homePage": BASE, "name": "0f3c2a9e8b7d6c5a4f3e2d1c0b9a8f7e"}}
REGISTRATION = "8f0e7c2a-1b3d-4e5f-9a8b-7c6d5e4f3a2b"


def module(key="mod-1"):
    return s.activity("module", key, type=v.MODULE, name={"fr": "Éthique", "en": "Ethics"})


def test_activity_id_is_built_from_the_platform_url_and_the_key():
    assert s.activity_id("lesson", "3f2e-key") == f"{BASE}/xapi/activities/lesson/3f2e-key"
    assert s.activity_id("lesson", "a b/c") == f"{BASE}/xapi/activities/lesson/a%20b%2Fc"
    with pytest.raises(ValueError):
        s.activity_id("lesson", "")


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "PT0S"),
        (1.5, "PT1.5S"),
        (12.3456, "PT12.35S"),
        (59.999, "PT1M"),
        (3725.456, "PT1H2M5.46S"),
        (dt.timedelta(minutes=3, microseconds=7), "PT3M"),
        (90000, "PT25H"),
    ],
)
def test_duration_rounds_to_hundredths(seconds, expected):
    assert s.duration(seconds) == expected


@given(st.floats(min_value=0, max_value=10**6, allow_nan=False))
def test_duration_round_trips_within_a_hundredth(seconds):
    text = s.duration(seconds)
    hours = minutes = secs = 0.0
    body = text[2:]
    if "H" in body:
        h, body = body.split("H")
        hours = float(h)
    if "M" in body:
        m, body = body.split("M")
        minutes = float(m)
    if body:
        secs = float(body.rstrip("S"))
    assert abs(hours * 3600 + minutes * 60 + secs - seconds) <= 0.005 + 1e-6
    if "." in text:
        assert len(text.split(".")[1].rstrip("S")) <= 2


def test_build_statement_sets_id_and_timestamp_once_and_no_version():
    d = s.build_statement(
        actor=ACTOR, verb=v.EXPERIENCED, object=module(), context=s.make_context(registration=REGISTRATION)
    )
    assert uuid.UUID(d["id"]).version == 4
    assert d["timestamp"].endswith("Z") and len(d["timestamp"]) == len("2026-01-01T00:00:00.000Z")
    assert "version" not in d and "stored" not in d and "authority" not in d
    assert d["verb"] == {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}}
    assert d["context"]["registration"] == REGISTRATION
    assert d["context"]["platform"] and d["context"]["language"] == "fr"
    assert d["actor"] == ACTOR
    assert_valid_statement(d)
    # Building twice gives two statements: the id is the statement's identity, set at build time.
    assert s.build_statement(actor=ACTOR, verb=v.EXPERIENCED, object=module())["id"] != d["id"]


def test_passed_statement_has_integer_scores_rounded_duration_and_mastery():
    d = s.build_statement(
        actor=ACTOR,
        verb=v.PASSED,
        object=s.activity("assessment", "quiz-7", type=v.ASSESSMENT, name={"fr": "Quiz"}),
        result={"score": s.score(raw=8, min=0, max=10, scaled=0.8), "success": True, "duration": 123.4567},
        context=s.make_context(
            registration=REGISTRATION,
            parent=[module()],
            category=[s.category_activity(v.CATEGORY_MOVEON)],
            extensions={v.EXT_MASTERY_SCORE: 0.7},
            session_id="sess-1",
        ),
    )
    assert d["result"] == {
        "score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10},
        "success": True,
        "duration": "PT2M3.46S",
    }
    assert json.dumps(d["result"]["score"]) == '{"scaled": 0.8, "raw": 8, "min": 0, "max": 10}'
    assert d["context"]["extensions"][v.EXT_SESSION_ID] == "sess-1"
    assert d["context"]["contextActivities"]["parent"][0]["id"] == f"{BASE}/xapi/activities/module/mod-1"
    assert_valid_statement(d)


def test_timestamp_given_is_kept_and_the_future_refused():
    when = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    d = s.build_statement(actor=ACTOR, verb=v.LAUNCHED, object=module(), timestamp=when)
    assert d["timestamp"] == "2026-03-01T09:30:15.123Z"
    with pytest.raises(ValueError):
        s.build_statement(
            actor=ACTOR, verb=v.LAUNCHED, object=module(), timestamp=timezone.now() + dt.timedelta(hours=1)
        )
    with pytest.raises(ValueError):
        s.build_statement(actor=ACTOR, verb=v.LAUNCHED, object=module(), timestamp=dt.datetime(2026, 1, 1))


def test_progressed_and_voided():
    progressed = s.build_statement(
        actor=ACTOR,
        verb=v.PROGRESSED,
        object=module(),
        result={"extensions": {v.EXT_PROGRESS: 40}},
        context=s.make_context(registration=REGISTRATION),
    )
    assert_valid_statement(progressed)
    voided = s.build_statement(
        actor=ACTOR, verb=v.VOIDED, object=s.statement_ref(progressed["id"]), context=s.make_context(registration=None)
    )
    assert voided["object"] == {"objectType": "StatementRef", "id": progressed["id"]}
    assert_valid_statement(voided)


INTERACTIONS = [
    (s.true_false_interaction("q-tf", name={"fr": "Vrai ?"}, correct=True), ["true"], "true"),
    (
        s.choice_interaction(
            "q-ch", name={"fr": "Choix"}, choices=[("a", "A"), ("b", "B"), ("c", "C")], correct=["a", "c"]
        ),
        ["a[,]c"],
        s.response_list(["a", "c"]),
    ),
    (
        s.sequencing_interaction(
            "q-seq", name={"fr": "Ordre"}, choices=[("x", "X"), ("y", "Y")], correct_order=["y", "x"]
        ),
        ["y[,]x"],
        "y[,]x",
    ),
    (
        s.matching_interaction(
            "q-m",
            name={"fr": "Associer"},
            source=[("1", "Un"), ("2", "Deux")],
            target=[("a", "A"), ("b", "B")],
            correct_pairs=[("1", "a"), ("2", "b")],
        ),
        ["1[.]a[,]2[.]b"],
        s.response_pairs([("1", "a"), ("2", "b")]),
    ),
    (
        s.fill_in_interaction("q-f", name={"fr": "Mot"}, correct=["RGPD", "GDPR"]),
        ["{case_matters=false}RGPD", "{case_matters=false}GDPR"],
        "rgpd",
    ),
    (s.numeric_interaction("q-n", name={"fr": "Nombre"}, minimum=4, maximum=6), ["4[:]6"], "5"),
    (s.numeric_interaction("q-n2", name={"fr": "Exact"}, minimum=2.5, maximum=2.5), ["2.5"], "2.5"),
    (s.likert_interaction("q-l", name={"fr": "Avis"}, scale=[("1", "Pas du tout"), ("5", "Tout à fait")]), None, "5"),
]


@pytest.mark.parametrize(("activity", "pattern", "response"), INTERACTIONS)
def test_answered_interactions_are_valid(activity, pattern, response):
    assert activity["definition"]["type"] == v.INTERACTION
    assert activity["definition"].get("correctResponsesPattern") == pattern
    d = s.build_statement(
        actor=ACTOR,
        verb=v.ANSWERED,
        object=activity,
        result={"response": response, "success": True},
        context=s.make_context(registration=REGISTRATION, parent=[module()]),
    )
    # tincan keeps the components (Ralph's model_dump would drop `choices`: we send our own JSON).
    for prop in ("choices", "scale", "source", "target"):
        assert d["object"]["definition"].get(prop) == activity["definition"].get(prop)
    assert_valid_statement(d)


def test_build_statement_leaves_its_arguments_alone():
    actor, obj = json.loads(json.dumps(ACTOR)), module()
    context = s.make_context(registration=REGISTRATION, parent=[module("p")])
    before = json.dumps([actor, obj, context], sort_keys=True)
    s.build_statement(actor=actor, verb=v.EXPERIENCED, object=obj, context=context)
    assert json.dumps([actor, obj, context], sort_keys=True) == before


def _learner(n: int) -> tuple[dict, str, str]:
    actor = {"objectType": "Agent", "account": {"homePage": BASE, "name": f"{n:032x}"}}
    return actor, str(uuid.UUID(int=n + 1, version=4)), f"session-{n}"


def _variable_parts(d: dict) -> dict:
    """The statement without what differs from one build to the next (`id`, `timestamp`)."""
    return {k: val for k, val in d.items() if k not in ("id", "timestamp")}


@pytest.mark.parametrize(
    "verb, obj, result",
    [
        (v.EXPERIENCED, module(), None),
        (v.PASSED, module("quiz"), {"score": s.score(raw=4, min=0, max=5, scaled=0.8), "duration": 61.257}),
        (v.TERMINATED, module("course"), {"duration": 3600}),
        (v.VOIDED, s.statement_ref(uuid.uuid4()), None),
    ],
)
def test_the_kept_shape_gives_what_tincan_gives_for_each_learner(verb, obj, result):
    """tincan's output is kept per statement shape (xapi.statements._validated). Three learners building the same
    statement, one after the other, each get exactly what tincan's own round trip gives them: their pseudonym,
    registration and session, never the first learner's."""
    s._shape_through_tincan.cache_clear()
    for n in range(3):
        actor, registration, session = _learner(n)
        context = s.make_context(
            registration=None if verb == v.VOIDED else registration,
            parent=[module("parent")],
            category=[module("c1"), module("c2")],
            session_id=session,
        )
        built = s.build_statement(actor=actor, verb=verb, object=obj, result=result, context=context)
        assert built["actor"]["account"]["name"] == f"{n:032x}"
        assert built["context"]["extensions"][v.EXT_SESSION_ID] == session
        if verb != v.VOIDED:
            assert built["context"]["registration"] == registration
        fresh = s.build_statement(actor=actor, verb=verb, object=obj, result=result, context=context)
        assert _variable_parts(fresh) == _variable_parts(built) and fresh["id"] != built["id"]
        assert_valid_statement(built)
    info = s._shape_through_tincan.cache_info()
    assert (info.misses, info.hits) == (1, 5), info  # one round trip through tincan for the six statements


def test_the_kept_shape_equals_tincans_own_round_trip():
    actor, registration, session = _learner(7)
    context = s.make_context(registration=registration, grouping=[module("g")], session_id=session, language="en")
    result = {"completion": True, "duration": 12.5}
    built = s.build_statement(actor=actor, verb=v.COMPLETED, object=module(), result=result, context=context)
    direct = s.through_tincan(
        actor=actor,
        verb=s.verb(v.COMPLETED),
        object=module(),
        result={"completion": True},
        context={**context, "platform": built["context"]["platform"]},
    )
    direct["result"]["duration"] = "PT12.5S"
    assert _variable_parts(built) == _variable_parts(direct)
    assert json.dumps(_variable_parts(built)) == json.dumps(_variable_parts(direct))  # the same bytes, key order too
