"""The small-number rule: no figure about fewer than 5 people is shown, anywhere (views, filters, exports).

1. Primary suppression: a count below ``SMALL_NUMBER`` (5), zero included, shows "< 5".
2. A rate is hidden when its numerator, its denominator or their difference is below 5: "12 enrolled, 100 %"
   would tell that each of the 12 completed, "20 enrolled, 85 %" that 3 did not.
3. A count is hidden ("s") when it sits beside a count it could be subtracted from to recover a small figure
   (completions next to enrolments with fewer than 5 not completed).
4. Complementary suppression: in a group of counts shown with their total, if exactly one count is suppressed, the
   next smallest count of the group is suppressed too, so that the total minus the others gives nothing away.

Every view and export formats figures through ``Figure``; nothing prints a raw count about people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SMALL_NUMBER = 5
LESS_THAN_5 = "< 5"
HIDDEN = "s"
HIDDEN_LABEL = _("s: hidden so that a figure about fewer than 5 people cannot be recomputed")


@dataclass
class Figure:
    """A figure about people: its true value (never rendered when suppressed) and what may be shown."""

    value: float | int | None
    display: str
    suppressed: bool = False

    def __str__(self) -> str:
        return self.display

    @property
    def shown_value(self) -> float | int | None:
        """The value a chart may draw: None when suppressed."""
        return None if self.suppressed else self.value


def count(n: int | None) -> Figure:
    n = int(n or 0)
    if n < SMALL_NUMBER:
        return Figure(n, LESS_THAN_5, suppressed=True)
    return Figure(n, str(n))


def hidden(n: int | float | None) -> Figure:
    return Figure(n, HIDDEN, suppressed=True)


def rate(numerator: int | None, denominator: int | None) -> Figure:
    numerator, denominator = int(numerator or 0), int(denominator or 0)
    if denominator < SMALL_NUMBER or numerator < SMALL_NUMBER or denominator - numerator < SMALL_NUMBER:
        return hidden(numerator / denominator if denominator else None)
    value = numerator / denominator
    return Figure(value, f"{round(value * 100)} %")


def part_of(part: int | None, whole: int | None) -> Figure:
    """A count shown beside the whole it belongs to (completions beside enrolments): rules 1 and 3."""
    part, whole = int(part or 0), int(whole or 0)
    if part < SMALL_NUMBER:
        return count(part)
    if whole - part < SMALL_NUMBER:
        return hidden(part)
    return Figure(part, str(part))


def complement(figures: Sequence[Figure]) -> list[Figure]:
    """Rule 4 over one group of counts that add up to a shown total; returns the group, suppressed where needed."""
    result = list(figures)
    suppressed = [f for f in result if f.suppressed]
    if len(suppressed) == 1:
        candidates = [(f.value or 0, i) for i, f in enumerate(result) if not f.suppressed]
        if candidates:
            _value, index = min(candidates)
            result[index] = hidden(result[index].value)
    return result


def total(values: Iterable[int]) -> Figure:
    return count(sum(int(v or 0) for v in values))
