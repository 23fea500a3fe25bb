"""Reads about accounts and organisations."""

from django.db.models import Q, QuerySet

from .models import User
from .scoping import scope_for
from .security import normalise_email


def attachable_people(*, by: User) -> QuerySet[User]:
    """Active accounts `by` may attach to an académie: those of their own académie(s) and those without one
    (a national administrator: everyone). Accounts of another académie are never part of it."""
    scope = scope_for(by)
    people = User.objects.filter(is_active=True)
    if scope.everything:
        return people
    if scope.is_empty:
        return people.none()
    return people.filter(Q(academie__isnull=True) | Q(academie_id__in=scope.academie_ids))


def find_attachable_person(*, by: User, email: str) -> User | None:
    """Exact address only; None alike for "no account" and "an account `by` may not see"."""
    email = normalise_email(email)
    if not email:
        return None
    return attachable_people(by=by).filter(email=email).select_related("academie").first()
