"""The xAPI vocabulary the platform uses: ADL verbs, activity types, cmi5 extensions and categories.

Every statement the platform emits takes its IRIs from here, so a reviewer (or an LRS analyst) finds the whole
vocabulary in one place. See docs/xapi.md for which product event uses which verb.
"""

from typing import Final, NamedTuple


class Verb(NamedTuple):
    id: str
    display: str  # English display, as in ADL's verb list


_ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
_ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

LAUNCHED: Final = Verb(_ADL_VERBS + "launched", "launched")
INITIALIZED: Final = Verb(_ADL_VERBS + "initialized", "initialized")
EXPERIENCED: Final = Verb(_ADL_VERBS + "experienced", "experienced")
PROGRESSED: Final = Verb(_ADL_VERBS + "progressed", "progressed")
ANSWERED: Final = Verb(_ADL_VERBS + "answered", "answered")
PASSED: Final = Verb(_ADL_VERBS + "passed", "passed")
FAILED: Final = Verb(_ADL_VERBS + "failed", "failed")
COMPLETED: Final = Verb(_ADL_VERBS + "completed", "completed")
TERMINATED: Final = Verb(_ADL_VERBS + "terminated", "terminated")
MASTERED: Final = Verb(_ADL_VERBS + "mastered", "mastered")
VOIDED: Final = Verb(_ADL_VERBS + "voided", "voided")

VERBS: Final = (
    LAUNCHED,
    INITIALIZED,
    EXPERIENCED,
    PROGRESSED,
    ANSWERED,
    PASSED,
    FAILED,
    COMPLETED,
    TERMINATED,
    MASTERED,
    VOIDED,
)
VERBS_BY_ID: Final = {v.id: v for v in VERBS}

# Activity types
COURSE: Final = _ADL_ACTIVITIES + "course"
MODULE: Final = _ADL_ACTIVITIES + "module"
LESSON: Final = _ADL_ACTIVITIES + "lesson"
ASSESSMENT: Final = _ADL_ACTIVITIES + "assessment"
INTERACTION: Final = _ADL_ACTIVITIES + "cmi.interaction"
OBJECTIVE: Final = _ADL_ACTIVITIES + "objective"
ACTIVITY_TYPES: Final = (COURSE, MODULE, LESSON, ASSESSMENT, INTERACTION, OBJECTIVE)

# cmi5 extensions (adopted as conventions, without claiming cmi5 conformance: Ralph has no State API)
EXT_PROGRESS: Final = "https://w3id.org/xapi/cmi5/result/extensions/progress"  # result, integer 0-100
EXT_SESSION_ID: Final = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"  # context
EXT_MASTERY_SCORE: Final = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"  # context, on passed/failed

# The platform's own extension names (IRIs built by `statements.extension_iri` under PLATFORM_BASE_URL)
EXT_RESPONSE_LENGTH_NAME: Final = "response-length"  # result, integer: characters of a free-text answer not sent

# Categories (context.contextActivities.category)
CATEGORY_CMI5: Final = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVEON: Final = "https://w3id.org/xapi/cmi5/context/categories/moveon"  # on passed/failed/completed

# Interaction types (xAPI 1.0.3 Data 2.4.4.1) the helpers in xapi.statements support
INTERACTION_TYPES: Final = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "sequencing",
    "likert",
    "numeric",
    "other",
)

# cmi5 result rules (checked by xapi.validation.assert_valid_statement)
VERBS_WITH_SCORE: Final = frozenset({PASSED.id, FAILED.id})
VERBS_WITH_SUCCESS: Final = frozenset({PASSED.id, FAILED.id, ANSWERED.id})
VERBS_WITH_COMPLETION: Final = frozenset({COMPLETED.id})
VERBS_REQUIRING_DURATION: Final = frozenset({COMPLETED.id, PASSED.id, FAILED.id, TERMINATED.id})

PLATFORM: Final = "IA & enseignement"
