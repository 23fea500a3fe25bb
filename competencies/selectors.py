"""Reads, each in a constant number of queries: trees and the learner's competency profile (exports: ``exporting``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .crosswalks import exact_matches
from .models import AssociationType, CompetencyItem, Evidence, EvidenceKind, Framework, ItemAssociation

SECURED, IN_PROGRESS, NOT_STARTED = "secured", "in_progress", "not_started"


def framework_items(*, framework: Framework, live_only: bool = True) -> QuerySet[CompetencyItem]:
    """The items of a framework in tree order (depth-first, siblings in order): one query. Published items only,
    unless `live_only=False` (the admin tree, which also shows the drafts awaiting publication)."""
    items = CompetencyItem.objects.filter(framework=framework)
    if live_only:
        items = items.filter(live=True)
    return items.order_by("path")


def framework_tree(*, framework: Framework, live_only: bool = True) -> list[dict]:
    """Nested structure for templates: [{"item": item, "children": [...], "also": False}, ...], in two queries.

    An item with several parents (CASE ``isChildOf`` to two nodes) sits in the tree under its first parent and is
    shown again, with its subtree, under each other parent: there its node has ``also=True`` (and ``node["primary"]``,
    the node under its first parent), so templates can give ids and edit buttons to one occurrence only. Among
    siblings, an item shown again takes the place of its sequence number (after the siblings numbered as much).
    """
    roots: list[dict] = []
    by_path: dict[str, dict] = {}
    by_pk: dict[int, dict] = {}
    steplen = CompetencyItem.steplen
    for item in framework_items(framework=framework, live_only=live_only):
        node = {"item": item, "children": [], "also": False}
        by_path[item.path] = node
        by_pk[item.pk] = node
        parent = by_path.get(item.path[:-steplen])
        (parent["children"] if parent else roots).append(node)
    extra = ItemAssociation.objects.filter(
        framework=framework, association_type=AssociationType.IS_CHILD_OF, origin__framework=framework
    ).order_by("sequence_number", "identifier")
    for origin_id, destination_id, seq in extra.values_list("origin_id", "destination_id", "sequence_number"):
        parent, first = by_pk.get(destination_id), by_pk.get(origin_id)
        if parent is None or first is None:
            continue
        position = len(parent["children"]) if seq is None else min(seq, len(parent["children"]))
        parent["children"].insert(position, {**first, "also": True, "primary": first})
    return roots


def tree_rows(nodes: list[dict]) -> list[dict]:
    """The nested tree as a flat list in document order, for templates that must never recurse (a deep framework
    would exhaust Python's stack through nested includes). Each row is its node plus: ``first``/``last`` among its
    siblings, ``has_children`` (a nested list opens after it) and ``closes`` (how many nested lists end after it)."""
    rows: list[dict] = []
    stack: list[tuple[list[dict], int, bool]] = [(nodes, 0, False)]
    while stack:
        siblings, index, under_also = stack.pop()
        if index >= len(siblings):
            if stack and rows:  # a nested list ends after the last row written
                rows[-1]["closes"] += 1
            continue
        node = siblings[index]
        stack.append((siblings, index + 1, under_also))
        children = node["children"]
        secondary = under_also or node.get("also", False)
        rows.append(
            {
                **node,
                "first": index == 0,
                "last": index == len(siblings) - 1,
                "has_children": bool(children),
                "closes": 0,
                "secondary": secondary,  # shown again under a second parent (or inside such a subtree)
            }
        )
        if children:
            stack.append((children, 0, secondary))
    for row in rows:
        row["closes"] = range(row["closes"])
    return rows


def evidence_under(*, item: CompetencyItem) -> int:
    """How many pieces of evidence learners have on the item and its descendants (paths are unique in the forest)."""
    return Evidence.objects.filter(item__path__startswith=item.path).count()


def item_choices(*, framework: Framework | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped, indented choices for a select: [(framework title, [(pk, "— 2.2 Safe and responsible use"), …]), …]."""
    qs = CompetencyItem.objects.filter(live=True).select_related("framework").order_by("framework__code", "path")
    if framework is not None:
        qs = qs.filter(framework=framework)
    groups: dict[int, tuple[str, list]] = {}
    for item in qs:
        group = groups.setdefault(item.framework_id, (item.framework.title, []))
        group[1].append((item.pk, f"{'\u2003' * (item.depth - 1)}{item.code} {item.label}".rstrip()))
    return list(groups.values())


# --- The learner's profile ----------------------------------------------------------------------------------------


def profile_rule() -> tuple[int, float]:
    """The one place where "secured" is defined: (minimum questions, minimum ratio on the best attempt of each quiz).
    Settings: COMPETENCIES_SECURED_MIN_QUESTIONS (default 3), COMPETENCIES_SECURED_MIN_RATIO (default 0.8)."""
    return (
        int(getattr(settings, "COMPETENCIES_SECURED_MIN_QUESTIONS", 3)),
        float(getattr(settings, "COMPETENCIES_SECURED_MIN_RATIO", 0.8)),
    )


AT_EASE, TO_WORK, TOO_FEW = "at_ease", "to_work", "too_few"  # self-positioning (diagnostic quizzes)

STATE_LABELS = {
    SECURED: gettext_lazy("secured"),
    IN_PROGRESS: gettext_lazy("in progress"),
    NOT_STARTED: gettext_lazy("not started"),
    AT_EASE: gettext_lazy("at ease"),
    TO_WORK: gettext_lazy("to work on"),
    TOO_FEW: gettext_lazy("too few answers to tell"),
}


@dataclass
class Assessment:
    """What the evidence says about one competency, and why (for the results pages and the profile alike)."""

    state: str
    answered: int = 0  # questions, on the best attempt of each quiz
    correct: float = 0.0
    quizzes: int = 0
    quizzes_below: int = 0  # quizzes whose best attempt is under the ratio
    other_evidence: bool = False  # lessons done, trainer's assessment
    positioning: bool = False
    min_questions: int = 3
    min_ratio: float = 0.8

    @property
    def ratio(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else int(self.ratio * 100 + 1e-9)

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def still_needed(self) -> int:
        return max(self.min_questions - self.answered, 0)

    @property
    def why(self) -> str:
        """One sentence a learner understands: the counts, the ratio, what is still needed."""
        need = {"n": self.min_questions, "ratio": round(self.min_ratio * 100)}
        if self.state == NOT_STARTED:
            if self.positioning:
                return _("No positioning question on this competency yet.")
            return _("No evidence yet: answer questions on it in a module quiz.")
        if not self.answered:
            return (
                _(
                    "Activities done, but no quiz question answered yet: answer at least %(n)s questions "
                    "with %(ratio)s%% correct."
                )
                % need
            )
        done = ngettext(
            "%(c)s of %(a)s question correct (%(p)s%%)",
            "%(c)s of %(a)s questions correct (%(p)s%%)",
            self.answered,
        ) % {"c": f"{self.correct:g}", "a": self.answered, "p": self.percent}
        if self.state in (SECURED, AT_EASE):
            return _("%(done)s: at least %(n)s questions and %(ratio)s%% needed, reached.") % {"done": done, **need}
        if self.state == TOO_FEW or (self.still_needed and self.quizzes_below == 0):
            missing = ngettext(
                "%(m)s more question needed (at least %(n)s, with %(ratio)s%% correct).",
                "%(m)s more questions needed (at least %(n)s, with %(ratio)s%% correct).",
                self.still_needed,
            ) % {"m": self.still_needed, **need}
            return f"{done}. {missing}"
        if self.positioning:
            return _("%(done)s: under the %(ratio)s%% that shows you are at ease.") % {"done": done, **need}
        return _("%(done)s: %(ratio)s%% correct needed on your best attempt at each quiz.") % {"done": done, **need}


def assess(evidence: list[Evidence], *, positioning: bool = False) -> Assessment:
    """THE rule for one competency's evidence (settings: see ``profile_rule``).

    Learning (``positioning=False``): answers to positioning (diagnostic) quizzes never count. For each quiz, the
    best attempt (highest ratio, then most questions) counts; the competency is **secured** when those best attempts
    hold at least N questions together and each of them reaches the ratio; **in progress** with any other evidence.

    Self-positioning (``positioning=True``): only answers to positioning quizzes, by the same thresholds: **at
    ease** with N questions and the ratio, **to work on** under the ratio, **too few answers to tell** otherwise.
    A single answer never says more than that.
    """
    min_questions, min_ratio = profile_rule()
    wanted = EvidenceKind.POSITIONING if positioning else EvidenceKind.ANSWER
    result = Assessment(state=NOT_STARTED, positioning=positioning, min_questions=min_questions, min_ratio=min_ratio)
    attempts: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for e in evidence:
        if e.kind == wanted and e.question_key:
            attempts[e.source_key][e.attempt_key][e.question_key] = _credit(e)
        elif not positioning and e.kind not in (EvidenceKind.ANSWER, EvidenceKind.POSITIONING):
            result.other_evidence = True
    for per_attempt in attempts.values():
        best = max(per_attempt.values(), key=lambda answers: (sum(answers.values()) / len(answers), len(answers)))
        result.quizzes += 1
        result.answered += len(best)
        result.correct += sum(best.values())
        if sum(best.values()) / len(best) < min_ratio - 1e-9:
            result.quizzes_below += 1
    if not attempts:
        result.state = IN_PROGRESS if result.other_evidence else NOT_STARTED
    elif positioning:
        if result.quizzes_below:
            result.state = TO_WORK
        else:
            result.state = AT_EASE if result.answered >= min_questions else TOO_FEW
    else:
        secured = result.answered >= min_questions and not result.quizzes_below
        result.state = SECURED if secured else IN_PROGRESS
    return result


@dataclass
class ItemProgress:
    item: CompetencyItem
    assessment: Assessment
    positioning: Assessment
    sources: int = 0  # distinct activities with evidence (positioning quizzes excepted)
    evidence: list[Evidence] = field(default_factory=list)
    matched_evidence: int = 0  # of which, evidence on items matched by exactMatchOf (crosswalks.exact_matches)

    @property
    def state(self) -> str:
        return self.assessment.state

    @property
    def questions_answered(self) -> int:
        return self.assessment.answered

    @property
    def questions_correct(self) -> float:
        return self.assessment.correct

    @property
    def ratio(self) -> float | None:
        return self.assessment.ratio


def _credit(evidence: Evidence) -> float:
    if evidence.correct is not None:
        return 1.0 if evidence.correct else 0.0
    return float(evidence.score or 0.0)


def evaluate(evidence: list[Evidence]) -> tuple[str, int, float]:
    """(state, questions answered, correct): ``assess`` for learning, as a tuple."""
    result = assess(evidence)
    return result.state, result.answered, result.correct


def _progress(item: CompetencyItem, evidence: list[Evidence], *, matched: int = 0) -> ItemProgress:
    return ItemProgress(
        item=item,
        assessment=assess(evidence),
        positioning=assess(evidence, positioning=True),
        sources=len({e.source_key for e in evidence if e.kind != EvidenceKind.POSITIONING}),
        evidence=evidence,
        matched_evidence=matched,
    )


def _evidence_by_item(user, **filters) -> dict[int, list[Evidence]]:
    by_item: dict[int, list[Evidence]] = defaultdict(list)
    if user is not None and user.is_authenticated:
        for e in Evidence.objects.filter(user=user, **filters).order_by("occurred_at", "pk"):
            by_item[e.item_id].append(e)
    return by_item


def competency_profile(*, user, framework: Framework) -> list[ItemProgress]:
    """For each item of the framework, in tree order: its state, counts and the evidence behind it (three queries).

    Evidence on an item of another framework linked by ``exactMatchOf`` counts here too (the rule is
    ``crosswalks.exact_matches``)."""
    items = list(framework_items(framework=framework))
    by_item: dict[int, list[Evidence]] = defaultdict(list)
    matches: dict[int, set[int]] = {}
    if user is not None and user.is_authenticated:
        matches = exact_matches(item_ids=[item.pk for item in items])
        others = {pk for pks in matches.values() for pk in pks}
        rows = Evidence.objects.filter(user=user).filter(Q(item__framework=framework) | Q(item_id__in=others))
        for e in rows.order_by("occurred_at", "pk"):
            by_item[e.item_id].append(e)
    result = []
    for item in items:
        matched = [e for pk in sorted(matches.get(item.pk, ())) for e in by_item.get(pk, [])]
        result.append(_progress(item, by_item.get(item.pk, []) + matched, matched=len(matched)))
    return result


def profile_for_items(*, user, items: list[CompetencyItem]) -> dict[int, ItemProgress]:
    """The same profile, for a few items (a quiz's results page): one query."""
    by_item = _evidence_by_item(user, item__in=[i.pk for i in items])
    return {item.pk: _progress(item, by_item.get(item.pk, [])) for item in items}


def default_framework() -> Framework | None:
    """The framework a learner's profile shows: UNESCO's AI competency framework for teachers when loaded."""
    return Framework.objects.filter(code="unesco-aicft-2024").first() or Framework.objects.order_by("code").first()


def profile_chart(leaves: list[ItemProgress]) -> dict:
    """One square per competency, in framework order (the SVG of the profile and of My learning)."""
    squares = [
        {"x": i * 34, "state": row.state, "code": row.item.code, "label": row.item.label}
        for i, row in enumerate(leaves)
    ]
    return {"squares": squares, "width": max(len(squares) * 34, 34)}
