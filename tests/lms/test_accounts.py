import re

from django.core import mail
from django.urls import reverse

import pytest

from lms.models import Establishment, User
from lms.roles import ACADEMY_MANAGERS, COORDINATORS, NATIONAL_ADMINS, TEACHERS


def _signup(client, email="camille.martin@ac-toulouse.fr"):
    return client.post(
        reverse("signup"),
        {
            "email": email,
            "first_name": "Camille",
            "last_name": "Martin",
        },
    )


def _confirm(client, path):
    data = {"first_name": "Camille", "last_name": "Martin"}
    return client.post(
        path,
        {**data, "new_password1": "un-mot-de-passe-solide", "new_password2": "un-mot-de-passe-solide"},
        follow=True,
    )


def _confirmation_path():
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return link.split("example.org", 1)[1]


def test_signup_confirm_sets_academie_from_professional_address(client, db):
    response = _signup(client)
    assert response.status_code == 200
    user = User.objects.get(email="camille.martin@ac-toulouse.fr")
    assert not user.is_active and user.academie is None
    assert (
        client.post(reverse("login"), {"username": user.email, "password": "un-mot-de-passe-solide"}).status_code == 200
    )
    # Opening the link (a mail scanner's prefetch, say) confirms nothing; the button does.
    path = _confirmation_path()
    assert client.get(path).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    response = _confirm(client, path)
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at and user.check_password("un-mot-de-passe-solide")
    assert user.academie.name == "Toulouse" and user.academie_source == "email"
    assert "Toulouse" in response.content.decode()
    # The link is single-use.
    assert client.post(path).status_code == 400
    client.logout()
    response = client.post(reverse("login"), {"username": user.email, "password": "un-mot-de-passe-solide"})
    assert response.status_code == 302


def test_signup_with_other_address_leaves_academie_unset(client, db):
    _signup(client, "camille@laposte.net")
    _confirm(client, _confirmation_path())
    user = User.objects.get(email="camille@laposte.net")
    assert user.is_active and user.academie is None


def test_academie_is_not_self_declared(client, make_user, academies):
    user = make_user(academie=academies["Toulouse"])
    client.force_login(user)
    client.post(reverse("profile"), {"first_name": "A", "last_name": "B", "academie": academies["Nantes"].pk})
    user.refresh_from_db()
    assert user.academie.name == "Toulouse"


def test_login_is_by_email_case_insensitive(client, make_user):
    make_user(email="prof@ac-nantes.fr", password="correct-horse-battery")
    response = client.post(reverse("login"), {"username": "Prof@AC-Nantes.fr", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("courses:my_learning")  # a learner lands on their courses


def test_repeated_failed_logins_are_throttled(client, make_user, settings):
    make_user(email="prof@ac-nantes.fr", password="correct-horse-battery")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "prof@ac-nantes.fr", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "prof@ac-nantes.fr", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode() or "Trop" in response.content.decode()


def test_password_reset_sends_a_working_link(client, make_user):
    make_user(email="prof@ac-nantes.fr")
    client.post(reverse("password_reset"), {"email": "prof@ac-nantes.fr"})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "nouveau-secret-42", "new_password2": "nouveau-secret-42"}
    )
    assert response.status_code == 302
    response = client.post(reverse("login"), {"username": "prof@ac-nantes.fr", "password": "nouveau-secret-42"})
    assert response.status_code == 302 and response.url == reverse("courses:my_learning")


def test_unknown_address_password_reset_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@ac-nantes.fr"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_profile_offers_only_establishments_of_own_academie(client, make_user, academies):
    toulouse = Establishment.objects.create(uai="0310012V", name="Collège T", academie=academies["Toulouse"])
    nantes = Establishment.objects.create(uai="0440001M", name="Collège N", academie=academies["Nantes"])
    user = make_user(academie=academies["Toulouse"])
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    assert "Collège T" in page and "Collège N" not in page
    data = {"first_name": "C", "last_name": "M", "preferred_language": "fr"}
    response = client.post(reverse("profile"), {**data, "establishment": nantes.pk})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.establishment is None
    client.post(reverse("profile"), {**data, "establishment": toulouse.pk})
    user.refresh_from_db()
    assert user.establishment == toulouse


def test_profile_requires_login(client, db):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_logout_is_a_post(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


@pytest.mark.parametrize(
    ("role", "admin", "academy_reports", "national_reports"),
    [
        (TEACHERS, False, False, False),
        (COORDINATORS, True, False, False),
        (ACADEMY_MANAGERS, True, True, False),
        (NATIONAL_ADMINS, True, True, True),
    ],
)
def test_role_permissions(make_user, role, admin, academy_reports, national_reports, client):
    user = make_user(role=role)
    assert user.has_perm("wagtailadmin.access_admin") is admin
    assert user.has_perm("lms.view_academy_reports") is academy_reports
    assert user.has_perm("lms.view_national_reports") is national_reports
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code == 200) is admin


def test_an_academie_manager_attaches_a_teacher_to_their_academie_only(client, make_user, academies):
    manager = make_user(email="gestion@ac-toulouse.fr", role=ACADEMY_MANAGERS, academie=academies["Toulouse"])
    newcomer = make_user(email="camille@laposte.net")
    other = make_user(email="prof@ac-nantes.fr", academie=academies["Nantes"])
    client.force_login(manager)
    page = client.post(reverse("lms_people"), {"email": "camille@laposte.net"}).content.decode()
    assert "camille@laposte.net" in page and "prof@ac-nantes.fr" not in page
    client.post(reverse("lms_people"), {"user": newcomer.pk})
    newcomer.refresh_from_db()
    assert newcomer.academie.name == "Toulouse" and newcomer.academie_source == "manager"
    # A forged request for someone of another académie is refused.
    response = client.post(reverse("lms_people"), {"user": other.pk, "academie": academies["Toulouse"].pk})
    other.refresh_from_db()
    assert other.academie.name == "Nantes" and response.status_code == 302
    # A teacher cannot open the screen.
    client.force_login(make_user(email="t@ac-toulouse.fr", role=TEACHERS, academie=academies["Toulouse"]))
    assert client.get(reverse("lms_people")).status_code in {302, 403}
