"""competencies' personal data: the evidence of what a learner showed, per competency."""

from typing import Any

from django.utils.translation import gettext as _

from lms.personal_data import PersonalData, Titles, human_date, register

from .models import Evidence


def estimate(user) -> int:
    return Evidence.objects.filter(user=user).count()


def readable_evidence(user, *, language: str):
    """One line per competency (not per answer): how many pieces of evidence, how many correct, from which
    activities."""
    evidence = list(
        Evidence.objects.filter(user=user).select_related("item", "item__framework").order_by("occurred_at")
    )

    def build(titles: Titles) -> list[dict]:
        untitled = _("(an activity no longer published)")
        grouped: dict[int, dict[str, Any]] = {}
        for ev in evidence:
            row = grouped.setdefault(
                ev.item_id,
                {
                    "competency": f"{ev.item.code} {ev.item.label}".strip(),
                    "framework": ev.item.framework.title,
                    "order": (ev.item.framework.code, ev.item.path),
                    "count": 0,
                    "correct": 0,
                    "activities": [],
                    "last": ev.occurred_at,
                },
            )
            row["count"] += 1
            row["correct"] += 1 if ev.correct else 0
            title = titles.get(ev.source_key, untitled)
            if title not in row["activities"]:
                row["activities"].append(title)
            row["last"] = max(row["last"], ev.occurred_at)
        return [
            {**row, "activities": ", ".join(row["activities"]), "last": human_date(row["last"])}
            for row in sorted(grouped.values(), key=lambda r: r["order"])
        ]

    return {e.source_key for e in evidence}, build


register(
    PersonalData(
        app_label="competencies",
        tables=("competencies.Evidence",),
        estimate=estimate,
        readable={"evidence": readable_evidence},
    )
)
