"""An attempt is shown and scored against the published revision of each question it started with.

At the start of an attempt, `record` writes into each layout entry the live revision of the question and of each of
its live translations (`{"revisions": {question pk: revision id}}`). Afterwards `as_shown` gives back, for every slot,
the question as it was then: the live row when nothing was published since (no query), otherwise the recorded
revision (one query for all of them). An edit published in the middle of someone's attempt changes nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from wagtail.models import Revision

from .models import Question


def _ensure_live_revisions(questions: list[Question]) -> None:
    """Questions published before revisions were kept (or created in code) get a revision of their live content,
    so that what is shown can be recorded. Nothing changes for anyone: the revision is the live row as it is."""
    for question in questions:
        if question.live_revision_id is not None:
            continue
        revision = Revision.objects.create(
            content_object=question,
            base_content_type=question.get_base_content_type(),
            content=question.serializable_data(),
            object_str=str(question)[:255],
        )
        Question.objects.filter(pk=question.pk, live_revision__isnull=True).update(live_revision=revision)
        Question.objects.filter(pk=question.pk, latest_revision__isnull=True).update(latest_revision=revision)
        question.live_revision_id = revision.pk


def record(layout: list[dict[str, Any]], questions: Iterable[Question]) -> list[dict[str, Any]]:
    """Add to each layout entry the live revisions of its question and of the question's live translations."""
    questions = list(questions)
    keys = {q.translation_key for q in questions}
    versions = list(
        Question.objects.filter(Q(translation_key__in=keys, live=True) | Q(pk__in=[q.pk for q in questions]))
    )
    _ensure_live_revisions(versions)
    by_key: dict[Any, dict[str, int]] = {}
    for version in versions:
        by_key.setdefault(version.translation_key, {})[str(version.pk)] = version.live_revision_id
    for entry, question in zip(layout, questions, strict=True):
        entry["revisions"] = by_key.get(question.translation_key, {})
    return layout


def as_shown(*, layout: list[dict[str, Any]], questions: dict[int, Question]) -> dict[int, Question]:
    """Slot -> the question as the learner was shown it (see the module docstring)."""
    wanted: dict[int, int] = {}
    for slot, question in questions.items():
        recorded = layout[slot].get("revisions")
        if not recorded:  # an attempt started before revisions were recorded: the live question
            continue
        revision_id = recorded.get(str(question.pk)) or recorded.get(str(layout[slot]["question"]))
        if revision_id is not None and revision_id != question.live_revision_id:
            wanted[slot] = revision_id
    if not wanted:
        return questions
    revisions = Revision.objects.in_bulk(set(wanted.values()))
    shown = dict(questions)
    for slot, revision_id in wanted.items():
        if revision_id in revisions:
            shown[slot] = revisions[revision_id].as_object()
    return shown
