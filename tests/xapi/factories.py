"""Statements for the xapi tests: valid ones, built the way the domain apps build theirs."""

import uuid
from typing import Any

from xapi import statements as s
from xapi import vocabulary as v

BASE = "https://formation-ia.example.org"


def actor(name: str = "a1b2c3d4e5f60718293a4b5c6d7e8f90") -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": BASE, "name": name}}


def experienced(n: int = 0, *, registration: str | None = None, learner: str | None = None) -> dict[str, Any]:
    return s.build_statement(
        actor=actor(learner or f"learner{n % 7:026d}"),
        verb=v.EXPERIENCED,
        object=s.activity(
            "lesson", f"lesson-{n}", type=v.LESSON, name={"fr": f"Leçon {n} — « IA »", "en": f"Lesson {n}"}
        ),
        context=s.make_context(registration=registration or str(uuid.uuid4())),
    )


def many(n: int) -> list[dict[str, Any]]:
    return [experienced(i) for i in range(n)]
