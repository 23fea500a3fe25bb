"""The people of the trust-model tests (docs/permissions.md), built once per test module.

`module_world` wraps a module's fixture data in a transaction rolled back when the module ends; each test still runs
in its own savepoint (pytest-django's `db`), so what a test writes is undone before the next one.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.db import transaction

from lms import roles
from lms.models import Academie, User

TEACHER = "teacher"
COORD_TOULOUSE = "coordinator_toulouse"
COORD_NANTES = "coordinator_nantes"
MODERATOR = "moderator"
MANAGER = "manager_toulouse"
NATIONAL_EDITOR = "national_editor"
NATIONAL_ADMIN = "national_admin"
ROLES = [TEACHER, COORD_TOULOUSE, COORD_NANTES, MODERATOR, MANAGER, NATIONAL_EDITOR, NATIONAL_ADMIN]

# Content, from the Toulouse coordinator's point of view: national, own (Toulouse), other (Nantes).
NATIONAL, TOULOUSE, NANTES = "national", "toulouse", "nantes"


@contextmanager
def module_world(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def make_people() -> dict[str, User]:
    """One user per role; coordinators are in the generic group and their académie's group (`setup_academy` must
    have run for Toulouse and Nantes before, or be run after: it adds the académie's coordinators)."""
    toulouse = Academie.objects.get(name="Toulouse")
    nantes = Academie.objects.get(name="Nantes")
    spec = {
        TEACHER: ("prof@ac-toulouse.fr", [roles.TEACHERS], toulouse),
        COORD_TOULOUSE: ("coord@ac-toulouse.fr", [roles.COORDINATORS], toulouse),
        COORD_NANTES: ("coord@ac-nantes.fr", [roles.COORDINATORS], nantes),
        MODERATOR: ("moderation@education.gouv.fr", [roles.MODERATORS], None),
        MANAGER: ("gestion@ac-toulouse.fr", [roles.ACADEMY_MANAGERS], toulouse),
        NATIONAL_EDITOR: ("edition@education.gouv.fr", [roles.NATIONAL_EDITORS], None),
        NATIONAL_ADMIN: ("admin@education.gouv.fr", [roles.NATIONAL_ADMINS], None),
    }
    people = {}
    for key, (email, group_names, academie) in spec.items():
        user = User.objects.create_user(email=email, password="correct-horse-battery", academie=academie)
        user.groups.set(Group.objects.filter(name__in=group_names))
        people[key] = user
    return people
