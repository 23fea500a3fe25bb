"""Who may do what with a question of the bank (the trust model; docs/permissions.md has the table).

- National questions (`owner_academie` empty) are edited and published by the national editors.
- An académie's questions are edited by that académie's coordinators; they go live through the moderation workflow
  (Wagtail's "Moderators approval"), as their pages do. Coordinators never see another académie's questions.
- A coordinator may *propose* a change to a national question: the edit view saves a draft (a revision: the live row,
  which learners see and are scored against, is untouched) that they submit for moderation. They can neither publish,
  lock, unlock nor delete a national question.
- Moderators review and publish everything; national administrators and académie managers only look.

Model-level permissions (granted to the role groups in `ROLE_QUESTION_PERMISSIONS`) say what a role may do at all;
`QuestionPermissionPolicy` narrows each action to the questions it applies to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wagtail.permission_policies import ModelPermissionPolicy

from lms import roles

VIEW, ADD, CHANGE, DELETE, PUBLISH, LOCK, UNLOCK = "view", "add", "change", "delete", "publish", "lock", "unlock"
ALL_ACTIONS = frozenset({VIEW, ADD, CHANGE, DELETE, PUBLISH, LOCK, UNLOCK})


def _perms(*actions: str) -> list[str]:
    return [f"assessments.{action}_question" for action in actions]


ROLE_QUESTION_PERMISSIONS = {
    roles.COORDINATORS: _perms(VIEW, ADD, CHANGE, LOCK, UNLOCK),
    roles.NATIONAL_EDITORS: _perms(VIEW, ADD, CHANGE, DELETE, PUBLISH, LOCK, UNLOCK),
    roles.MODERATORS: _perms(VIEW, CHANGE, PUBLISH, LOCK, UNLOCK),
    roles.NATIONAL_ADMINS: _perms(VIEW),
}

# What each role may do, by whose question it is ("national", "own" académie, "other" académie).
COORDINATOR_ACTIONS = {
    "own": frozenset({VIEW, ADD, CHANGE, LOCK, UNLOCK}),
    "national": frozenset({VIEW, CHANGE}),  # change = propose: a draft submitted for moderation, never published
    "other": frozenset(),
}
NATIONAL_EDITOR_ACTIONS = {"national": ALL_ACTIONS, "own": frozenset({VIEW}), "other": frozenset({VIEW})}


def group_names(user) -> frozenset[str]:
    """The user's group names, read once per request (cached on the user object)."""
    cached = getattr(user, "_trust_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        user._trust_group_names = cached
    return cached


def is_national_editor(user) -> bool:
    return user.is_active and (user.is_superuser or roles.NATIONAL_EDITORS in group_names(user))


def sees_every_question(user) -> bool:
    names = group_names(user)
    return user.is_superuser or bool(names & {roles.MODERATORS, roles.NATIONAL_EDITORS, roles.NATIONAL_ADMINS})


def relation(user, owner_academie_id: int | None) -> str:
    if owner_academie_id is None:
        return "national"
    return "own" if owner_academie_id == getattr(user, "academie_id", None) else "other"


def allowed_actions(user, owner_academie_id: int | None) -> frozenset[str]:
    """The actions the user's roles allow on a question owned by `owner_academie_id` (model permissions apart)."""
    if not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ACTIONS
    names = group_names(user)
    where = relation(user, owner_academie_id)
    actions: set[str] = set()
    if roles.MODERATORS in names:
        actions |= ALL_ACTIONS
    if roles.NATIONAL_EDITORS in names:
        actions |= NATIONAL_EDITOR_ACTIONS[where]
    if roles.NATIONAL_ADMINS in names:
        actions.add(VIEW)
    if roles.COORDINATORS in names and getattr(user, "academie_id", None) is not None:
        actions |= COORDINATOR_ACTIONS[where]
    return frozenset(actions)


def owner_for_new_question(user):
    """Whose a question created by this user is: national for national editors (and superusers), else the
    coordinator's académie; None when the user may not create one at all (raises nothing, the view refuses)."""
    if is_national_editor(user):
        return None, True
    if roles.COORDINATORS in group_names(user) and user.academie_id is not None:
        return user.academie_id, True
    return None, False


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per question by its owner (see the module docstring)."""

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return action in allowed_actions(user, instance.owner_academie_id)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        queryset = super().instances_user_has_any_permission_for(user, actions)
        return queryset.filter(visible_to(user))


def visible_to(user) -> Q:
    """The questions a user may see in the admin (listing, chooser): all for national roles, national and own
    académie's for a coordinator, none otherwise."""
    if not user.is_active:
        return Q(pk__in=[])
    if sees_every_question(user):
        return Q()
    if roles.COORDINATORS in group_names(user) and user.academie_id is not None:
        return Q(owner_academie__isnull=True) | Q(owner_academie_id=user.academie_id)
    return Q(pk__in=[])
