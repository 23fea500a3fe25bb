"""Placement after a positioning quiz: per aspect of the framework, the level a teacher starts at, and what to read.

UNESCO's AI competency framework for teachers has five aspects of three competencies each, one per level: x.1
Acquire, x.2 Deepen, x.3 Create. A positioning quiz asks, for each aspect:

- a **self-rating**: an opinion-scale question tagged with the aspect's competencies, whose points are keyed
  "0" (not yet), "1" (Acquire), "2" (Deepen) and "3" (Create), each described by concrete behaviours;
- **scenario questions**, scored, each tagged with the one competency (so the one level) it tests.

The rule (docs/assessments.md):

- *demonstrated level*: how many levels, from Acquire up, have all their scenario questions answered right;
- *placed level*: the self-rating, brought down to the demonstrated level when the scenarios do not confirm it
  (a teacher who rates themselves higher than their answers show starts where the answers show); without a
  self-rating, the demonstrated level;
- *recommended lessons*: the live lessons, in the quiz's language, tagged with the competency of the next level.
  A teacher placed at Create has nothing to catch up on in that aspect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyItem
from courses.models import LessonPage

from . import scoring
from .models import QuizPage

LEVELS = {0: _("Not yet"), 1: _("Acquire"), 2: _("Deepen"), 3: _("Create")}
SELF_RATING_KEYS = {"0", "1", "2", "3"}
LESSONS_PER_ASPECT = 3


@dataclass
class Placement:
    aspect: CompetencyItem
    self_rated: int | None = None
    demonstrated: int = 0
    scenarios: dict[int, list[bool]] = field(default_factory=dict)  # level → right/wrong per scenario question
    next_item: CompetencyItem | None = None
    lessons: list[LessonPage] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return self.demonstrated if self.self_rated is None else min(self.self_rated, self.demonstrated)

    @property
    def placed_label(self) -> str:
        return str(LEVELS[self.placed])

    @property
    def self_rated_label(self) -> str:
        return "" if self.self_rated is None else str(LEVELS[self.self_rated])

    @property
    def lowered(self) -> bool:
        """The scenarios did not confirm the self-rating."""
        return self.self_rated is not None and self.demonstrated < self.self_rated


def _level(item: CompetencyItem) -> tuple[str, int] | None:
    aspect, _dot, level = item.code.partition(".")
    return (aspect, int(level)) if level.isdigit() and 1 <= int(level) <= 3 else None


def place(*, quiz: QuizPage, reviews: Sequence[Any]) -> list[Placement]:
    """One placement per aspect the quiz asks about, in framework order (three queries)."""
    if quiz.framework_id is None:
        return []
    aspects = {
        a.code: a for a in CompetencyItem.objects.filter(framework_id=quiz.framework_id, depth=1).order_by("path")
    }
    found: dict[str, Placement] = {}
    for review in reviews:
        question, response = review.question, review.response
        levels = [lv for lv in (_level(i) for i in question.competencies.all()) if lv and lv[0] in aspects]
        if not levels:
            continue
        if question.question_type == scoring.LIKERT:
            chosen = [o.key for o in review.chosen if o.key in SELF_RATING_KEYS]
            if chosen and len({code for code, _lv in levels}) == 1:
                placement = found.setdefault(levels[0][0], Placement(aspect=aspects[levels[0][0]]))
                placement.self_rated = int(chosen[0])
            continue
        right = response is not None and bool(response.success)
        for code, level in levels:
            placement = found.setdefault(code, Placement(aspect=aspects[code]))
            placement.scenarios.setdefault(level, []).append(right)
    items = {
        (i.code.partition(".")[0], int(i.code.partition(".")[2])): i
        for i in CompetencyItem.objects.filter(framework_id=quiz.framework_id, depth=2)
        if _level(i)
    }
    for placement in found.values():
        level = 0
        while level < 3 and placement.scenarios.get(level + 1) and all(placement.scenarios[level + 1]):
            level += 1
        placement.demonstrated = level
        if placement.placed < 3:
            placement.next_item = items.get((placement.aspect.code, placement.placed + 1))
    _attach_lessons(quiz, [p for p in found.values() if p.next_item is not None])
    return [found[code] for code in aspects if code in found]


def _attach_lessons(quiz: QuizPage, placements: list[Placement]) -> None:
    wanted = {p.next_item.pk: p for p in placements if p.next_item is not None}
    if not wanted:
        return
    lessons = (
        LessonPage.objects.live()
        .filter(locale_id=quiz.locale_id, competencies__in=list(wanted))
        .prefetch_related("competencies")
        .order_by("path")
        .distinct()
    )
    for lesson in lessons:
        for item in lesson.competencies.all():
            placement = wanted.get(item.pk)
            if placement is not None and len(placement.lessons) < LESSONS_PER_ASPECT:
                placement.lessons.append(lesson)
