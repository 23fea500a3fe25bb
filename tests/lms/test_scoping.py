from django.contrib.auth.models import AnonymousUser

from lms.models import Academie, User
from lms.roles import ACADEMY_MANAGERS, COORDINATORS, NATIONAL_ADMINS, TEACHERS
from lms.scoping import scope_for


def test_each_role_sees_only_its_part(make_user, academies):
    toulouse, nantes = academies["Toulouse"], academies["Nantes"]
    teacher = make_user(email="t@ac-toulouse.fr", role=TEACHERS, academie=toulouse)
    coordinator = make_user(email="c@ac-toulouse.fr", role=COORDINATORS, academie=toulouse)
    manager = make_user(email="m@ac-toulouse.fr", role=ACADEMY_MANAGERS, academie=toulouse)
    national = make_user(email="n@education.gouv.fr", role=NATIONAL_ADMINS)
    orphan_manager = make_user(email="o@ac-nantes.fr", role=ACADEMY_MANAGERS)
    make_user(email="t2@ac-nantes.fr", role=TEACHERS, academie=nantes)

    users = User.objects.all()
    assert scope_for(teacher).is_empty and not scope_for(teacher).filter(users).exists()
    assert scope_for(coordinator).is_empty
    assert set(scope_for(manager).filter(users).values_list("email", flat=True)) == {
        "t@ac-toulouse.fr",
        "c@ac-toulouse.fr",
        "m@ac-toulouse.fr",
    }
    assert scope_for(manager).allows_academie(toulouse.pk) and not scope_for(manager).allows_academie(nantes.pk)
    assert scope_for(national).filter(users).count() == 6
    assert scope_for(orphan_manager).is_empty  # a manager without académie sees nothing, not everything
    assert scope_for(AnonymousUser()).is_empty
    assert scope_for(national).filter(Academie.objects.all(), academie_field="pk").count() == 30
    assert scope_for(manager).filter(Academie.objects.all(), academie_field="pk").get() == toulouse
