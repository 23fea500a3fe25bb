"""The learner's context: who learns, in which enrolment, course, module and session.

Built once per request or action (a lesson view, a completion, an answer, a submission) and passed to every
statement builder (`courses.statements`, `assessments.statements`), which turn it into the statement's actor and
xAPI context. What belongs to one statement's object (the page's language, the competencies it develops or assesses)
is given to the builder beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from xapi.actors import actor_for

from .models import CoursePage, Enrolment, LearningSession, ModulePage


@dataclass(frozen=True)
class LearningContext:
    user: Any
    enrolment: Enrolment
    course: CoursePage
    module: ModulePage | None = None
    session: LearningSession | None = None

    @cached_property
    def actor(self) -> dict[str, Any]:
        """The learner as an xAPI actor (the pseudonym read or created once for the whole context)."""
        return actor_for(self.user)

    @property
    def registration(self):
        return self.enrolment.registration

    @property
    def session_id(self) -> str | None:
        return str(self.session.session_id) if self.session is not None else None

    @property
    def language(self) -> str:
        """The course's language: statements about the course itself are in it."""
        return self.course.locale.language_code

    def in_session(self, session: LearningSession) -> LearningContext:
        return replace(self, session=session)
