"""The readable part of "Download my data": what a teacher sees when opening index.html (offline, in their language).

The JSON and the CSV files keep every field for machines; this page shows the same records the way a person reads
them: course and activity titles instead of keys, questions and the answers as given, competency codes and labels,
dates in words. No internal field names or identifiers. Each app builds its own section (`lms.personal_data`:
its declaration's `readable`); the page titles they name are read once for all. Built in a constant number of
queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lms.personal_data import declarations, page_titles


@dataclass
class Readable:
    """The sections of privacy/export_index.html, by name."""

    account: list[tuple[str, str]] = field(default_factory=list)
    enrolments: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[Any] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    attestations: list[dict[str, Any]] = field(default_factory=list)


def build(user, *, language: str) -> Readable:
    pending = {
        name: section(user, language=language)
        for declaration in declarations()
        for name, section in declaration.readable.items()
    }
    titles = page_titles(set().union(*(keys for keys, _finish in pending.values())), language)
    return Readable(**{name: finish(titles) for name, (_keys, finish) in pending.items()})
