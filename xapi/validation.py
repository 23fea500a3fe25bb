"""`assert_valid_statement`: the check the courses and assessments tests run on every statement they emit.

Two layers: Ralph's strict pydantic model of an xAPI statement, then the platform's own rules (the cmi5 result
conventions and the sender rules of docs/xapi.md: pseudonymous actor, id and timestamp set, no version).
"""

import datetime as dt
import json
import re
import uuid
from typing import Any

from . import vocabulary as v
from .conf import platform_base_url

_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
_FORBIDDEN_ACTOR_KEYS = {"name", "mbox", "mbox_sha1sum", "openid"}
_NO_REGISTRATION_VERBS = {v.VOIDED.id, v.MASTERED.id}


class InvalidStatement(AssertionError):
    pass


def _fail(message: str, statement: dict[str, Any]) -> None:
    raise InvalidStatement(f"{message}\n{json.dumps(statement, indent=2, ensure_ascii=False)[:3000]}")


def statement_problems(d: dict[str, Any]) -> list[str]:
    """Every platform rule the statement breaks (empty when it is fine). Ralph's model is checked separately."""
    problems: list[str] = []
    verb_id = (d.get("verb") or {}).get("id", "")
    if "version" in d:
        problems.append("`version` must not be set: it is the LRS's to fill in")
    for key in ("stored", "authority"):
        if key in d:
            problems.append(f"`{key}` is the LRS's, not the sender's")
    try:
        uuid.UUID(str(d.get("id")))
    except ValueError:
        problems.append("`id` must be a UUID set by the sender")
    stamp = d.get("timestamp")
    if not isinstance(stamp, str) or not _TIMESTAMP.match(stamp):
        problems.append("`timestamp` must be RFC 3339 with a time zone")
    elif dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1):
        problems.append("`timestamp` is in the future")

    actor = d.get("actor") or {}
    account = actor.get("account") or {}
    if actor.get("objectType") != "Agent" or set(actor) != {"objectType", "account"}:
        problems.append("the actor must be exactly {objectType: Agent, account: {...}}")
    if _FORBIDDEN_ACTOR_KEYS & set(actor):
        problems.append("the actor must carry no name, mbox or openid")
    if account.get("homePage") != platform_base_url() or not account.get("name"):
        problems.append("the actor's account must be on PLATFORM_BASE_URL with a pseudonym")
    if "mbox" in json.dumps(d):
        problems.append("no e-mail address (mbox) anywhere in a statement")

    obj = d.get("object") or {}
    if obj.get("objectType", "Activity") == "Activity" and not str(obj.get("id", "")).startswith(
        platform_base_url() + "/"
    ):
        problems.append("activity ids must be built from PLATFORM_BASE_URL (xapi.statements.activity_id)")
    if verb_id == v.VOIDED.id and obj.get("objectType") != "StatementRef":
        problems.append("a voided statement's object must be a StatementRef")

    context = d.get("context") or {}
    if verb_id not in _NO_REGISTRATION_VERBS:
        try:
            uuid.UUID(str(context.get("registration")))
        except ValueError:
            problems.append("context.registration (one UUID per enrolment) is required")
    if context and not context.get("language"):
        problems.append("context.language is required")
    if obj.get("objectType", "Activity") == "Activity" and not context.get("platform"):
        problems.append("context.platform is required")
    mastery = (context.get("extensions") or {}).get(v.EXT_MASTERY_SCORE)
    if mastery is not None:
        if verb_id not in v.VERBS_WITH_SCORE:
            problems.append("the masteryscore extension belongs on passed/failed only")
        if not isinstance(mastery, int | float) or not 0 <= mastery <= 1:
            problems.append("masteryscore must be a number in 0..1")

    result = d.get("result") or {}
    score = result.get("score")
    if score is not None:
        if verb_id not in v.VERBS_WITH_SCORE:
            problems.append("score only on passed/failed")
        if "raw" in score:
            if not all(
                isinstance(score.get(k), int) and not isinstance(score.get(k), bool) for k in ("raw", "min", "max")
            ):
                problems.append("score.raw must be an integer, with integer min and max")
            elif not score["min"] <= score["raw"] <= score["max"]:
                problems.append("score.raw must lie between min and max")
        if "scaled" in score and not 0 <= score["scaled"] <= 1:
            problems.append("score.scaled must lie in 0..1")
    if "success" in result:
        if verb_id not in v.VERBS_WITH_SUCCESS:
            problems.append("success only on passed/failed (or answered)")
        elif verb_id == v.PASSED.id and result["success"] is not True:
            problems.append("passed needs success: true")
        elif verb_id == v.FAILED.id and result["success"] is not False:
            problems.append("failed needs success: false")
    if "completion" in result:
        if verb_id not in v.VERBS_WITH_COMPLETION:
            problems.append("completion only on completed")
        elif result["completion"] is not True:
            problems.append("completed needs completion: true")
    if verb_id in v.VERBS_REQUIRING_DURATION and "duration" not in result:
        problems.append(f"duration is required on {verb_id.rsplit('/', 1)[-1]}")
    if "duration" in result:
        match = _DURATION.match(str(result["duration"]))
        if not match or result["duration"] in ("P", "PT"):
            problems.append("duration must be an ISO 8601 duration")
        elif match.group(5) and len(match.group(5)) > 2:
            problems.append("duration precision is at most 0.01 s")
    progress = (result.get("extensions") or {}).get(v.EXT_PROGRESS)
    if progress is not None and (
        not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100
    ):
        problems.append("the progress extension is an integer in 0..100")
    return problems


def assert_valid_statement(d: dict[str, Any]) -> None:
    """Raise AssertionError unless `d` passes Ralph's strict model and the platform's cmi5 and sender rules."""
    # (not a cycle: Ralph and pydantic are development dependencies, read only when a test validates a statement)
    from pydantic import ValidationError
    from ralph.models.xapi.base.statements import BaseXapiStatement

    # Through JSON, as the outbox stores it and the LRS sees it.
    try:
        as_sent = json.loads(json.dumps(d, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise InvalidStatement(f"the statement is not plain JSON: {exc}") from exc
    try:
        BaseXapiStatement.model_validate(as_sent)
    except ValidationError as exc:
        _fail(f"Ralph's xAPI model rejects the statement:\n{exc}", as_sent)
    problems = statement_problems(as_sent)
    if problems:
        _fail("The statement breaks the platform's rules:\n- " + "\n- ".join(problems), as_sent)
