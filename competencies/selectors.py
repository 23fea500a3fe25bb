"""Reads, each in a constant number of queries: trees, exports, the learner's competency profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, QuerySet

from .crosswalks import exact_matches
from .formats import AssociationData, FrameworkData, ItemData
from .models import (
    LANGUAGE_CODES,
    AssociationType,
    CompetencyItem,
    Evidence,
    EvidenceKind,
    Framework,
    ItemAssociation,
    PendingAssociation,
)

SECURED, IN_PROGRESS, NOT_STARTED = "secured", "in_progress", "not_started"


def framework_items(*, framework: Framework) -> QuerySet[CompetencyItem]:
    """The items of a framework in tree order (depth-first, siblings in order): one query."""
    return CompetencyItem.objects.filter(framework=framework).order_by("path")


def framework_tree(*, framework: Framework) -> list[dict]:
    """Nested structure for templates: [{"item": item, "children": [...], "also": False}, ...], in two queries.

    An item with several parents (CASE ``isChildOf`` to two nodes) sits in the tree under its first parent and is
    shown again, with its subtree, under each other parent: there its node has ``also=True`` (and ``node["first"]``,
    the node under its first parent), so templates can give ids and edit buttons to one occurrence only. Among
    siblings, an item shown again takes the place of its sequence number (after the siblings numbered as much).
    """
    roots: list[dict] = []
    by_path: dict[str, dict] = {}
    by_pk: dict[int, dict] = {}
    steplen = CompetencyItem.steplen
    for item in framework_items(framework=framework):
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
        parent["children"].insert(position, {**first, "also": True, "first": first})
    return roots


def item_choices(*, framework: Framework | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped, indented choices for a select: [(framework title, [(pk, "— 2.2 Safe and responsible use"), …]), …]."""
    qs = CompetencyItem.objects.select_related("framework").order_by("framework__code", "path")
    if framework is not None:
        qs = qs.filter(framework=framework)
    groups: dict[int, tuple[str, list]] = {}
    for item in qs:
        group = groups.setdefault(item.framework_id, (item.framework.title, []))
        group[1].append((item.pk, f"{'\u2003' * (item.depth - 1)}{item.code} {item.label}".rstrip()))
    return list(groups.values())


def framework_data(*, framework: Framework, with_items: bool = True) -> FrameworkData:
    """The shared in-memory representation of a framework, for any export format: three queries (none without
    items: the document alone)."""
    items = list(framework_items(framework=framework)) if with_items else []
    by_path = {item.path: item for item in items}
    steplen = CompetencyItem.steplen
    data = FrameworkData(
        identifier=str(framework.identifier),
        code=framework.code,
        titles={lang: getattr(framework, f"title_{lang}") for lang in LANGUAGE_CODES},
        descriptions={lang: getattr(framework, f"description_{lang}") for lang in LANGUAGE_CODES},
        uri=framework.get_uri(),
        creator=framework.creator,
        publisher=framework.publisher,
        edition=framework.edition,
        source_url=framework.source_url,
        licence=framework.licence,
        licence_uri=framework.licence_uri,
        adoption_status=framework.adoption_status,
        notes=framework.notes,
        subjects=list(framework.subjects or []),
        last_change=framework.last_change_date_time,
        extra=dict(framework.extra or {}),
    )
    for item in items:
        parent = by_path.get(item.path[:-steplen])
        data.items.append(
            ItemData(
                identifier=str(item.identifier),
                code=item.code,
                item_type=item.item_type,
                labels={lang: getattr(item, f"label_{lang}") for lang in LANGUAGE_CODES},
                statements={lang: getattr(item, f"statement_{lang}") for lang in LANGUAGE_CODES},
                parent=str(parent.identifier) if parent else None,
                uri=item.get_uri(),
                last_change=item.last_change_date_time,
                extra=dict(item.extra or {}),
                parent_link=(item.extra or {}).get("case_link", ""),
            )
        )
    if not with_items:
        return data
    associations = (
        ItemAssociation.objects.filter(framework=framework)
        .select_related("origin", "destination__framework")
        .order_by("origin__path", F("sequence_number").asc(nulls_last=True), "identifier")
    )
    for assoc in associations:
        destination = assoc.destination
        data.associations.append(
            AssociationData(
                identifier=str(assoc.identifier),
                association_type=assoc.association_type,
                origin=str(assoc.origin.identifier),
                destination=str(destination.identifier),
                sequence_number=assoc.sequence_number,
                last_change=assoc.last_change_date_time,
                destination_title=destination.code or destination.label_fr,
                destination_uri=destination.get_uri(),
                notes=assoc.notes,
                extra=dict(assoc.extra or {}),
            )
        )
    pending = PendingAssociation.objects.filter(framework=framework).select_related("origin")
    for link in pending.order_by("origin__path", F("sequence_number").asc(nulls_last=True), "identifier"):
        data.associations.append(
            AssociationData(
                identifier=str(link.identifier),
                association_type=link.association_type,
                origin=str(link.origin.identifier),
                destination=str(link.destination_identifier),
                sequence_number=link.sequence_number,
                last_change=link.last_change_date_time,
                destination_title=link.destination_title,
                destination_uri=link.destination_uri,
                notes=link.notes,
                extra=dict(link.extra or {}),
            )
        )
    return data


def export_framework(*, framework: Framework, format_name: str, language: str | None = None) -> bytes:
    from .formats import get_format

    return get_format(format_name).dump(framework_data(framework=framework), language=language)


# --- The learner's profile ----------------------------------------------------------------------------------------


def profile_rule() -> tuple[int, float]:
    """The one place where "secured" is defined: (minimum questions, minimum ratio on the best attempt of each quiz).
    Settings: COMPETENCIES_SECURED_MIN_QUESTIONS (default 3), COMPETENCIES_SECURED_MIN_RATIO (default 0.8)."""
    return (
        int(getattr(settings, "COMPETENCIES_SECURED_MIN_QUESTIONS", 3)),
        float(getattr(settings, "COMPETENCIES_SECURED_MIN_RATIO", 0.8)),
    )


@dataclass
class ItemProgress:
    item: CompetencyItem
    state: str = NOT_STARTED
    questions_answered: int = 0  # on the best attempt of each quiz
    questions_correct: float = 0.0
    sources: int = 0  # distinct activities with evidence
    evidence: list[Evidence] = field(default_factory=list)
    matched_evidence: int = 0  # of which, evidence on items matched by exactMatchOf (crosswalks.exact_matches)

    @property
    def ratio(self) -> float | None:
        return self.questions_correct / self.questions_answered if self.questions_answered else None


def _credit(evidence: Evidence) -> float:
    if evidence.correct is not None:
        return 1.0 if evidence.correct else 0.0
    return float(evidence.score or 0.0)


def evaluate(evidence: list[Evidence]) -> tuple[str, int, float]:
    """(state, questions answered, correct) for one item's evidence, by the rule of ``profile_rule``.

    For each quiz (source_key), the best attempt (highest ratio, then most questions) counts; the item is secured
    when those best attempts hold at least N questions together and each of them reaches the ratio.
    """
    if not evidence:
        return NOT_STARTED, 0, 0.0
    min_questions, min_ratio = profile_rule()
    attempts: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for e in evidence:
        if e.kind == EvidenceKind.ANSWER and e.question_key:
            attempts[e.source_key][e.attempt_key][e.question_key] = _credit(e)
    answered, correct, all_pass = 0, 0.0, True
    for per_attempt in attempts.values():
        best = max(per_attempt.values(), key=lambda answers: (sum(answers.values()) / len(answers), len(answers)))
        answered += len(best)
        correct += sum(best.values())
        all_pass = all_pass and sum(best.values()) / len(best) >= min_ratio - 1e-9
    if attempts and answered >= min_questions and all_pass:
        return SECURED, answered, correct
    return IN_PROGRESS, answered, correct


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
        evidence = by_item.get(item.pk, []) + matched
        state, answered, correct = evaluate(evidence)
        result.append(
            ItemProgress(
                item=item,
                state=state,
                questions_answered=answered,
                questions_correct=correct,
                sources=len({e.source_key for e in evidence}),
                evidence=evidence,
                matched_evidence=len(matched),
            )
        )
    return result
