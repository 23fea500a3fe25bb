"""The one scoping function: what part of the organisation a person may see in reports.

Every report view, export, filter and dashboard asks `scope_for(user)` and filters through it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    academie_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.academie_ids

    def filter(self, queryset: QuerySet, academie_field: str = "academie") -> QuerySet:
        """Restrict `queryset` to this scope, `academie_field` being the lookup path to an Academie."""
        if self.everything:
            return queryset
        if not self.academie_ids:
            return queryset.none()
        return queryset.filter(**{f"{academie_field}__in": self.academie_ids})

    def allows_academie(self, academie_id: int | None) -> bool:
        return self.everything or (academie_id is not None and academie_id in self.academie_ids)


def scope_for(user) -> Scope:
    if not user or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.has_perm("lms.view_national_reports"):
        return Scope(everything=True)
    if user.has_perm("lms.view_academy_reports") and user.academie_id:
        return Scope(academie_ids=frozenset({user.academie_id}))
    return Scope()
