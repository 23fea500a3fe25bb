"""The one rule for required activities, completion and percentages.

Used by the learner's pages (``courses.selectors``), the completion service (``courses.services.complete_activity``)
and the reports (``reports.selectors``), so that all three always say the same thing.

The rule (see docs/courses.md):

- The activities of a course are the lessons and quizzes (pages with ``required_for_completion``) placed directly in
  a module of the course.
- An activity is **required** when it is live, marked "required for completion", and its module is live too. The
  lessons of an unpublished module are not required, even if they are still live themselves: a learner cannot reach
  them from the course page, so they never block completion.
- The required activities are read from one version of the course, whatever language the learner or the manager
  reads in: the version in the site's default language (French) when it is live, otherwise the first live
  translation (by language code). Both languages of a lesson are one activity (same ``translation_key``).
- Percentage = required activities done ÷ required activities, rounded **down** to a whole percent (99.6 % is 99 %:
  "100 %" is never shown before everything is done). A completed course or module is 100 % and stays so, even if
  activities are added later. A course with no required activity is 0 % until completed; it is completed when the
  learner completes any of its activities.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Q

from wagtail.models import Page

from .models import CoursePage, ModulePage, TrackableMixin


@dataclass(frozen=True)
class Node:
    """What the rule needs to know about a page of a course tree."""

    key: uuid.UUID  # translation_key
    kind: str  # "module" or "activity"
    live: bool
    required_flag: bool = False  # required_for_completion, for activities
    module_key: uuid.UUID | None = None  # the module an activity sits in


@dataclass
class CourseRule:
    """The required activities of one course, by module."""

    course_key: uuid.UUID
    required_by_module: dict[uuid.UUID, frozenset[uuid.UUID]] = field(default_factory=dict)

    @property
    def required(self) -> frozenset[uuid.UUID]:
        return frozenset().union(*self.required_by_module.values()) if self.required_by_module else frozenset()

    def is_required(self, key: uuid.UUID) -> bool:
        return key in self.required

    def percent(self, done: Iterable[uuid.UUID], *, completed: bool = False) -> int:
        """The course's percentage for a learner who has done ``done`` (and completed the course or not)."""
        return percent(len(self.required & set(done)), len(self.required), completed=completed)

    def module_percent(self, module_key: uuid.UUID, done: Iterable[uuid.UUID], *, completed: bool = False) -> int:
        required = self.required_by_module.get(module_key, frozenset())
        return percent(len(required & set(done)), len(required), completed=completed)

    def course_complete(self, done: Iterable[uuid.UUID]) -> bool:
        """Whether completing an activity now completes the course (every required activity done)."""
        return self.required <= set(done)

    def module_complete(self, module_key: uuid.UUID, done: Iterable[uuid.UUID]) -> bool:
        return self.required_by_module.get(module_key, frozenset()) <= set(done)


def percent(done: int, total: int, *, completed: bool = False) -> int:
    """Whole percent, rounded down; 100 once completed; 0 when nothing is required and it is not completed."""
    if completed:
        return 100
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)


def rule_from_nodes(course_key: uuid.UUID, nodes: Iterable[Node]) -> CourseRule:
    """The rule itself, on one version of a course tree (modules and the activities directly in them)."""
    nodes = list(nodes)
    live_modules = {n.key for n in nodes if n.kind == "module" and n.live}
    by_module: dict[uuid.UUID, set[uuid.UUID]] = {key: set() for key in live_modules}
    for node in nodes:
        if node.kind == "activity" and node.live and node.required_flag and node.module_key in live_modules:
            by_module[node.module_key].add(node.key)
    return CourseRule(course_key=course_key, required_by_module={k: frozenset(v) for k, v in by_module.items()})


def trackable_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, TrackableMixin) and issubclass(m, Page)]


CourseRow = tuple[uuid.UUID, str, int, bool, str]  # translation_key, path, depth, live, language code


def course_versions(course_keys: Iterable[uuid.UUID] | None = None) -> list[CourseRow]:
    qs = CoursePage.objects.all()
    if course_keys is not None:
        qs = qs.filter(translation_key__in=list(course_keys))
    return list(qs.values_list("translation_key", "path", "depth", "live", "locale__language_code"))


def _canonical_versions(rows: Iterable[CourseRow]) -> dict[uuid.UUID, tuple[str, int]]:
    """For each course key, the (path, depth) of the version the rule reads."""
    default = (settings.LANGUAGE_CODE or "fr")[:2]
    chosen: dict[uuid.UUID, tuple[tuple, str, int]] = {}
    for key, path, depth, live, language in rows:
        rank = (not live, language != default, language, path)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, path, depth)
    return {key: (path, depth) for key, (_rank, path, depth) in chosen.items()}


def canonical_path(rows: Iterable[CourseRow], course_key: uuid.UUID) -> str | None:
    """The path of the version of ``course_key`` the rule reads, among ``rows`` (see ``course_versions``)."""
    version = _canonical_versions(rows).get(course_key)
    return version[0] if version else None


def course_rules(
    course_keys: Iterable[uuid.UUID] | None = None, *, rows: Iterable[CourseRow] | None = None
) -> dict[uuid.UUID, CourseRule]:
    """The rule for each course (every course when ``course_keys`` is None; ``rows`` when the caller has already
    read the course versions, see ``course_versions``).

    Queries: 2 (1 with ``rows``) + one per trackable page type (lessons, quizzes), whatever the number of courses.
    """
    versions = _canonical_versions(course_versions(course_keys) if rows is None else rows)
    rules = {key: CourseRule(course_key=key) for key in versions}
    if not versions:
        return rules
    by_path = {path: key for key, (path, _depth) in versions.items()}
    steplen = Page.steplen
    modules = Q()
    for path, depth in versions.values():
        modules |= Q(path__startswith=path, depth=depth + 1)
    module_rows = list(ModulePage.objects.filter(modules).values_list("path", "translation_key", "live"))
    nodes: dict[uuid.UUID, list[Node]] = {key: [] for key in versions}
    module_by_path: dict[str, uuid.UUID] = {}
    for path, key, live in module_rows:
        course_key = by_path.get(path[:-steplen])
        if course_key is None:
            continue
        module_by_path[path] = key
        nodes[course_key].append(Node(key=key, kind="module", live=live))
    if module_by_path:
        activities = Q()
        for path, depth in versions.values():
            activities |= Q(path__startswith=path, depth=depth + 2)
        for model in trackable_models():
            for path, key, live, flag in model.objects.filter(activities).values_list(
                "path", "translation_key", "live", "required_for_completion"
            ):
                module_path = path[:-steplen]
                module_key = module_by_path.get(module_path)
                course_key = by_path.get(module_path[:-steplen])
                if module_key is None or course_key is None:
                    continue
                nodes[course_key].append(
                    Node(key=key, kind="activity", live=live, required_flag=flag, module_key=module_key)
                )
    return {key: rule_from_nodes(key, course_nodes) for key, course_nodes in nodes.items()}


def course_rule(course_key: uuid.UUID) -> CourseRule:
    return course_rules([course_key]).get(course_key) or CourseRule(course_key=course_key)


def done_percent(rule: CourseRule | None, done: Iterable[uuid.UUID], *, completed: bool) -> int:
    return percent(0, 0, completed=completed) if rule is None else rule.percent(done, completed=completed)


def required_keys(rules: Mapping[uuid.UUID, CourseRule]) -> set[uuid.UUID]:
    return set().union(*(r.required for r in rules.values())) if rules else set()
