import copy

import pytest

from xapi import statements as s
from xapi import vocabulary as v
from xapi.validation import assert_valid_statement

BASE = "https://formation-ia.example.org"
ACTOR = {"objectType": "Agent", "account": {"homePage": BASE, "name": "a1b2c3"}}
REG = "8f0e7c2a-1b3d-4e5f-9a8b-7c6d5e4f3a2b"


def passed():
    return s.build_statement(
        actor=ACTOR,
        verb=v.PASSED,
        object=s.activity("assessment", "q1", type=v.ASSESSMENT, name={"fr": "Quiz"}),
        result={"score": s.score(raw=7, min=0, max=10, scaled=0.7), "success": True, "duration": 60},
        context=s.make_context(registration=REG, extensions={v.EXT_MASTERY_SCORE: 0.6}),
    )


def completed():
    return s.build_statement(
        actor=ACTOR,
        verb=v.COMPLETED,
        object=s.activity("module", "m1", type=v.MODULE, name={"fr": "Module"}),
        result={"completion": True, "duration": 600},
        context=s.make_context(registration=REG),
    )


def test_good_statements_pass():
    assert_valid_statement(passed())
    assert_valid_statement(completed())


def _break(statement, path, value):
    d = copy.deepcopy(statement)
    target = d
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


BROKEN = [
    ("ralph: unknown property", passed, ("colour",), "red", "Ralph"),
    ("ralph: verb id not an IRI", passed, ("verb", "id"), "passed", "Ralph"),
    ("version set", passed, ("version",), "1.0.3", "version"),
    ("no timestamp", passed, ("timestamp",), KeyError, "timestamp"),
    ("timestamp without zone", passed, ("timestamp",), "2026-01-01T10:00:00", "timestamp"),
    ("timestamp in the future", passed, ("timestamp",), "2999-01-01T10:00:00.000Z", "future"),
    ("e-mail actor", passed, ("actor",), {"objectType": "Agent", "mbox": "mailto:claire@ac-lyon.fr"}, "actor"),
    ("named actor", passed, ("actor", "name"), "Claire Martin", "no name"),
    ("actor elsewhere", passed, ("actor", "account", "homePage"), "https://other.example.org", "PLATFORM_BASE_URL"),
    ("activity from the request host", passed, ("object", "id"), "http://localhost:8000/quiz/1", "activity ids"),
    ("no registration", passed, ("context", "registration"), KeyError, "registration"),
    ("no platform", passed, ("context", "platform"), KeyError, "platform"),
    ("score as float", passed, ("result", "score", "raw"), 7.5, "integer"),
    ("raw without max", passed, ("result", "score", "max"), KeyError, "integer"),
    ("passed without success", passed, ("result", "success"), False, "success: true"),
    ("passed without duration", passed, ("result", "duration"), KeyError, "duration is required"),
    ("duration too precise", passed, ("result", "duration"), "PT1.234S", "0.01"),
    ("completion on passed", passed, ("result", "completion"), True, "completion only"),
    ("mastery out of range", passed, ("context", "extensions", v.EXT_MASTERY_SCORE), 70, "masteryscore"),
    ("score on completed", completed, ("result", "score"), {"scaled": 1}, "score only"),
    ("success on completed", completed, ("result", "success"), True, "success only"),
    ("completed without completion true", completed, ("result", "completion"), False, "completion: true"),
    ("completed without duration", completed, ("result", "duration"), KeyError, "duration is required"),
    ("progress out of range", completed, ("result", "extensions"), {v.EXT_PROGRESS: 140}, "progress"),
]


@pytest.mark.parametrize(("label", "make", "path", "value", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_rule_is_enforced(label, make, path, value, message):
    with pytest.raises(AssertionError, match=message):
        assert_valid_statement(_break(make(), path, value))


def test_not_plain_json_is_refused():
    d = passed()
    d["context"]["registration"] = __import__("uuid").UUID(REG)
    with pytest.raises(AssertionError, match="plain JSON"):
        assert_valid_statement(d)
