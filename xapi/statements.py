"""Building statements. The only module that touches tincan's object model.

Callers (each domain app's own `statements.py`) pass plain dicts built with the helpers below and get back the
statement as a JSON-ready dict with `id` and `timestamp` set once, `version` left to the LRS, scores as integers
where they are integral and durations rounded to hundredths of a second.
"""

import copy
import datetime as dt
import functools
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from tincan import Statement

from . import vocabulary as v
from .conf import platform_base_url, platform_name

LanguageMap = dict[str, str]


# --- identifiers --------------------------------------------------------------------------------------------------


def activity_id(kind: str, key: str) -> str:
    """A stable activity IRI from PLATFORM_BASE_URL and a stable key (e.g. a page's translation_key), never a title
    or the request's host: `https://<platform>/xapi/activities/<kind>/<key>`."""
    if not kind or not key:
        raise ValueError("activity_id needs a kind and a key")
    return f"{platform_base_url()}/xapi/activities/{quote(str(kind), safe='')}/{quote(str(key), safe='')}"


def extension_iri(name: str) -> str:
    """An extension IRI of the platform's own, under PLATFORM_BASE_URL: `https://<platform>/xapi/extensions/<name>`."""
    if not name:
        raise ValueError("extension_iri needs a name")
    return f"{platform_base_url()}/xapi/extensions/{quote(name, safe='')}"


def new_registration() -> str:
    """A new registration UUID (one per enrolment: store it on the enrolment and reuse it)."""
    return str(uuid.uuid4())


# --- formatting ---------------------------------------------------------------------------------------------------


def duration(seconds: float | dt.timedelta) -> str:
    """ISO 8601 duration rounded to hundredths of a second (cmi5): 3725.456 -> "PT1H2M5.46S"."""
    if isinstance(seconds, dt.timedelta):
        seconds = seconds.total_seconds()
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    hundredths = round(seconds * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs, cents = divmod(rest, 100)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or cents or out == "PT":
        out += f"{secs}.{cents:02d}".rstrip("0").rstrip(".") + "S"
    return out


def format_timestamp(when: dt.datetime) -> str:
    """RFC 3339 in UTC with milliseconds: the one way the platform writes a timestamp."""
    if timezone.is_naive(when):
        raise ValueError("timestamps must be timezone-aware")
    when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _number(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


# --- building blocks (plain dicts) ----------------------------------------------------------------------------------


def verb(verb: v.Verb | str) -> dict[str, Any]:
    if isinstance(verb, str):
        verb = v.VERBS_BY_ID.get(verb) or v.Verb(verb, verb.rsplit("/", 1)[-1])
    return {"id": verb.id, "display": {"en-US": verb.display}}


def activity(
    kind: str,
    key: str,
    *,
    type: str,
    name: LanguageMap | None = None,
    description: LanguageMap | None = None,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An Activity object whose id is `activity_id(kind, key)`."""
    definition: dict[str, Any] = {"type": type}
    if name:
        definition["name"] = dict(name)
    if description:
        definition["description"] = dict(description)
    if extensions:
        definition["extensions"] = dict(extensions)
    return {"objectType": "Activity", "id": activity_id(kind, key), "definition": definition}


def statement_ref(statement_id: str | uuid.UUID) -> dict[str, Any]:
    """The object of a `voided` statement."""
    return {"objectType": "StatementRef", "id": str(statement_id)}


def score(
    *, raw: int | None = None, min: int | None = None, max: int | None = None, scaled: float | None = None
) -> dict:
    """A cmi5 score: `raw` an integer with `min` and `max`; `scaled` in 0..1."""
    out: dict[str, Any] = {}
    if scaled is not None:
        out["scaled"] = round(float(scaled), 4)
    if raw is not None:
        if min is None or max is None:
            raise ValueError("score.raw needs min and max")
        out.update(raw=int(raw), min=int(min), max=int(max))
    return out


def make_context(
    *,
    registration: str | uuid.UUID | None,
    parent: Sequence[dict] = (),
    grouping: Sequence[dict] = (),
    category: Sequence[dict] = (),
    other: Sequence[dict] = (),
    session_id: str | None = None,
    extensions: dict[str, Any] | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """A context with the enrolment's registration, the platform, the language and context activities."""
    ctx: dict[str, Any] = {}
    if registration is not None:
        ctx["registration"] = str(uuid.UUID(str(registration)))
    activities = {
        name: [dict(a) for a in acts]
        for name, acts in (("parent", parent), ("grouping", grouping), ("category", category), ("other", other))
        if acts
    }
    if activities:
        ctx["contextActivities"] = activities
    ext = dict(extensions or {})
    if session_id:
        ext[v.EXT_SESSION_ID] = str(session_id)
    if ext:
        ctx["extensions"] = ext
    ctx["platform"] = platform_name()
    ctx["language"] = language or settings.LANGUAGE_CODE
    return ctx


def category_activity(iri: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri}


# --- interactions (xAPI 1.0.3 Data 2.4.4.1) ------------------------------------------------------------------------


def _components(items: Iterable[tuple[str, str]], lang: str) -> list[dict[str, Any]]:
    return [{"id": str(i), "description": {lang: text}} for i, text in items]


def interaction(
    key: str,
    *,
    interaction_type: str,
    name: LanguageMap,
    description: LanguageMap | None = None,
    correct_responses: Sequence[str] | None = None,
    choices: Sequence[tuple[str, str]] | None = None,
    scale: Sequence[tuple[str, str]] | None = None,
    source: Sequence[tuple[str, str]] | None = None,
    target: Sequence[tuple[str, str]] | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """A `cmi.interaction` activity; omit `correct_responses` for a survey (no correct answer)."""
    if interaction_type not in v.INTERACTION_TYPES:
        raise ValueError(f"unknown interactionType {interaction_type!r}")
    lang = lang or settings.LANGUAGE_CODE
    act = activity("interaction", key, type=v.INTERACTION, name=name, description=description)
    definition = act["definition"]
    definition["interactionType"] = interaction_type
    if correct_responses is not None:
        definition["correctResponsesPattern"] = list(correct_responses)
    for prop, items in (("choices", choices), ("scale", scale), ("source", source), ("target", target)):
        if items is not None:
            definition[prop] = _components(items, lang)
    return act


def true_false_interaction(key: str, *, name: LanguageMap, correct: bool | None, **kw: Any) -> dict[str, Any]:
    pattern = None if correct is None else ["true" if correct else "false"]
    return interaction(key, interaction_type="true-false", name=name, correct_responses=pattern, **kw)


def choice_interaction(
    key: str, *, name: LanguageMap, choices: Sequence[tuple[str, str]], correct: Sequence[str] | None, **kw: Any
) -> dict[str, Any]:
    """Single or multiple choice: `correct` lists the ids of every right answer."""
    pattern = None if correct is None else [response_list(correct)]
    return interaction(key, interaction_type="choice", name=name, choices=choices, correct_responses=pattern, **kw)


def sequencing_interaction(
    key: str, *, name: LanguageMap, choices: Sequence[tuple[str, str]], correct_order: Sequence[str] | None, **kw: Any
) -> dict[str, Any]:
    pattern = None if correct_order is None else [response_list(correct_order)]
    return interaction(key, interaction_type="sequencing", name=name, choices=choices, correct_responses=pattern, **kw)


def matching_interaction(
    key: str,
    *,
    name: LanguageMap,
    source: Sequence[tuple[str, str]],
    target: Sequence[tuple[str, str]],
    correct_pairs: Sequence[tuple[str, str]] | None,
    **kw: Any,
) -> dict[str, Any]:
    pattern = None if correct_pairs is None else [response_pairs(correct_pairs)]
    return interaction(
        key, interaction_type="matching", name=name, source=source, target=target, correct_responses=pattern, **kw
    )


def fill_in_interaction(
    key: str, *, name: LanguageMap, correct: Sequence[str] | None, case_matters: bool = False, **kw: Any
) -> dict[str, Any]:
    """Each accepted answer is a pattern of its own (a response is correct if it matches any)."""
    prefix = "{case_matters=true}" if case_matters else "{case_matters=false}"
    pattern = None if correct is None else [prefix + answer for answer in correct]
    return interaction(key, interaction_type="fill-in", name=name, correct_responses=pattern, **kw)


def numeric_interaction(
    key: str, *, name: LanguageMap, minimum: float | None = None, maximum: float | None = None, **kw: Any
) -> dict[str, Any]:
    """`minimum == maximum` for an exact value; one bound only for an open range; none for a survey."""
    if minimum is None and maximum is None:
        pattern = None
    elif minimum is not None and minimum == maximum:
        pattern = [str(_number(minimum))]
    else:
        low = "" if minimum is None else str(_number(minimum))
        high = "" if maximum is None else str(_number(maximum))
        pattern = [f"{low}[:]{high}"]
    return interaction(key, interaction_type="numeric", name=name, correct_responses=pattern, **kw)


def likert_interaction(key: str, *, name: LanguageMap, scale: Sequence[tuple[str, str]], **kw: Any) -> dict[str, Any]:
    """A survey item: no correct response."""
    return interaction(key, interaction_type="likert", name=name, scale=scale, **kw)


def response_list(ids: Sequence[str]) -> str:
    """Choice and sequencing responses: ids joined by `[,]`."""
    return "[,]".join(str(i) for i in ids)


def response_pairs(pairs: Sequence[tuple[str, str]]) -> str:
    """Matching responses: `source[.]target` pairs joined by `[,]`."""
    return "[,]".join(f"{s}[.]{t}" for s, t in pairs)


# --- the statement --------------------------------------------------------------------------------------------------


# tincan's round trip (its object model checks and normalises the statement) costs about 1 ms, on every tracked page.
# What it gives depends on the statement's shape, not on the learner's pseudonym, registration or session: its output
# for a shape is kept in this process (the last 4,096 shapes) with stand-ins for those three, and each statement gets
# them set on a copy (docs/performance.md, "Fourth pass"; tests/xapi/test_statements.py compares with tincan's own).
_STAND_IN_NAME = "stand-in-pseudonym"
_STAND_IN_UUID = "00000000-0000-4000-8000-000000000000"
_STAND_IN_SESSION = "stand-in-session"


def through_tincan(*, actor: dict, verb: dict, object: dict, result: dict | None, context: dict | None) -> dict:
    """The statement through tincan's object model, without `version` (the LRS's to fill in); `id` and
    `timestamp` are stand-ins for `build_statement` to set."""
    # tincan rewrites the dicts it is given in place (objectType -> object_type): hand it copies.
    statement = Statement(
        id=uuid.UUID(_STAND_IN_UUID),
        actor=copy.deepcopy(actor),
        verb=copy.deepcopy(verb),
        object=copy.deepcopy(object),
        result=copy.deepcopy(result) or None,
        context=copy.deepcopy(context),
        timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )
    statement.version = None  # tincan writes "1.0.3" otherwise
    data: dict[str, Any] = json.loads(statement.to_json())
    data.pop("version", None)
    return data


@functools.lru_cache(maxsize=4096)
def _shape_through_tincan(shape: str) -> str:
    return json.dumps(through_tincan(**json.loads(shape)))


def _validated(*, actor: dict, verb: dict, object: dict, result: dict | None, context: dict | None) -> dict:
    """`through_tincan`, from the kept output of the statement's shape."""
    account = actor.get("account") if set(actor) <= {"objectType", "account"} else None
    name = account.get("name") if isinstance(account, dict) else None
    name = name if isinstance(name, str) else None
    registration = (context or {}).get("registration")
    extensions = (context or {}).get("extensions")
    session = extensions.get(v.EXT_SESSION_ID) if isinstance(extensions, dict) else None
    session = session if isinstance(session, str) else None
    if name is not None:
        actor = {**actor, "account": {**account, "name": _STAND_IN_NAME}}
    if context is not None and registration is not None:
        context = {**context, "registration": _STAND_IN_UUID}
    if context is not None and session is not None:
        context = {**context, "extensions": {**extensions, v.EXT_SESSION_ID: _STAND_IN_SESSION}}
    shape = json.dumps({"actor": actor, "verb": verb, "object": object, "result": result, "context": context})
    data = json.loads(_shape_through_tincan(shape))
    if name is not None:
        data["actor"]["account"]["name"] = name
    if registration is not None:
        data["context"]["registration"] = str(uuid.UUID(str(registration)))
    if session is not None:
        data["context"]["extensions"][v.EXT_SESSION_ID] = session
    return data


def build_statement(
    *,
    actor: dict[str, Any],
    verb: v.Verb | dict[str, Any] | str,
    object: dict[str, Any],
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    timestamp: dt.datetime | None = None,
    statement_id: str | uuid.UUID | None = None,
) -> dict[str, Any]:
    """The statement as a JSON-ready dict, built through tincan's object model.

    `id` (a new UUID unless given) and `timestamp` (now unless given, never in the future) are set here once;
    the outbox stores these exact bytes and every retry re-sends them. `version` is left to the LRS.
    `result["duration"]` may be seconds (number or timedelta) or an ISO 8601 string; it comes out rounded to
    hundredths. A context without platform or language gets the platform's (no platform when the object is not an
    Activity, as xAPI requires).
    """
    now = timezone.now()
    when = timestamp or now
    if timezone.is_naive(when):
        raise ValueError("timestamps must be timezone-aware")
    if when > now:
        raise ValueError("a statement's timestamp cannot be in the future")
    verb_dict = globals()["verb"](verb) if not isinstance(verb, dict) else dict(verb)
    result = dict(result) if result else None
    score_dict = duration_str = None
    if result is not None:
        score_dict = result.pop("score", None)
        raw_duration = result.pop("duration", None)
        if raw_duration is not None:
            duration_str = raw_duration if isinstance(raw_duration, str) else duration(raw_duration)
    if context is not None:
        context = dict(context)
        if object.get("objectType", "Activity") == "Activity":
            context.setdefault("platform", platform_name())
        else:  # xAPI: `platform` and `revision` only when the object is an Activity
            context.pop("platform", None)
        context.setdefault("language", settings.LANGUAGE_CODE)

    data = _validated(actor=actor, verb=verb_dict, object=object, result=result, context=context)
    data["id"] = str(uuid.UUID(str(statement_id)) if statement_id else uuid.uuid4())
    data["timestamp"] = format_timestamp(when)
    if result is not None:
        out_result = data.setdefault("result", {})
        if score_dict:  # tincan turns every score into a float: cmi5 wants raw as an integer
            out_result["score"] = {k: _number(val) for k, val in score_dict.items()}
        if duration_str is not None:  # tincan writes microseconds ("PT01.5S"): cmi5 wants hundredths at most
            out_result["duration"] = duration_str
    return data
