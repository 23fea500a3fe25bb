"""Item 3 of issue 12: no escalation in the administration; a new log-in address is confirmed by its owner."""

import re

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

import pytest

from lms.models import User
from lms.roles import NATIONAL_ADMINS, TEACHERS


@pytest.fixture
def national_admin(make_user, academies):
    return make_user(email="national@education.gouv.fr", role=NATIONAL_ADMINS)


def _edit_data(user: User, **extra) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name or "Prénom",
        "last_name": user.last_name or "Nom",
        "is_active": "on",
        "groups": [Group.objects.get(name=TEACHERS).pk],
        **extra,
    }


def test_a_national_administrator_cannot_grant_superuser(client, national_admin, make_user):
    target = make_user(email="complice@ac-nantes.fr", first_name="C", last_name="D")
    client.force_login(national_admin)
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()
    response = client.post(url, _edit_data(target, is_superuser="on", first_name="Changed"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    target.refresh_from_db()
    assert target.first_name == "Changed" and not target.is_superuser
    # Nor on themselves, nor by creating an account.
    client.post(
        reverse("wagtailusers_users:add"),
        {
            **_edit_data(target, email="nouveau@ac-nantes.fr", is_superuser="on"),
            "password1": "un-mot-de-passe-long-42",
            "password2": "un-mot-de-passe-long-42",
        },
    )
    created = User.objects.get(email="nouveau@ac-nantes.fr")
    assert not created.is_superuser
    national_admin.refresh_from_db()
    assert not national_admin.is_superuser


def test_a_national_administrator_cannot_edit_a_superuser(client, national_admin, make_user):
    root = make_user(email="root@education.gouv.fr", is_superuser=True, is_staff=True, first_name="R", last_name="S")
    client.force_login(national_admin)
    url = reverse("wagtailusers_users:edit", args=[root.pk])
    assert client.get(url).status_code in {302, 403}  # Wagtail turns the refusal into a redirect with a message
    client.post(
        url,
        _edit_data(root, email="national@education.gouv.fr", password1="pris-en-main-42", password2="pris-en-main-42"),
    )
    root.refresh_from_db()
    assert root.email == "root@education.gouv.fr" and root.is_superuser and not root.check_password("pris-en-main-42")


def test_a_superuser_can_grant_and_remove_superuser(client, make_user):
    root = make_user(email="root@education.gouv.fr", is_superuser=True, is_staff=True)
    target = make_user(email="adjoint@ac-nantes.fr", first_name="A", last_name="B")
    client.force_login(root)
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    assert 'name="is_superuser"' in client.get(url).content.decode()
    assert client.post(url, _edit_data(target, is_superuser="on")).status_code == 302
    target.refresh_from_db()
    assert target.is_superuser
    assert client.post(url, _edit_data(target)).status_code == 302
    target.refresh_from_db()
    assert not target.is_superuser


def test_an_administrator_changing_someones_address_leaves_it_unconfirmed(client, national_admin, make_user):
    from django.utils import timezone

    target = make_user(email="prof@ac-nantes.fr", first_name="A", last_name="B", email_confirmed_at=timezone.now())
    client.force_login(national_admin)
    client.post(reverse("wagtailusers_users:edit", args=[target.pk]), _edit_data(target, email="prof@laposte.net"))
    target.refresh_from_db()
    assert target.email == "prof@laposte.net" and target.email_confirmed_at is None


def _account_post(client, user, **extra):
    return client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Dominique",
            "name_email-last_name": "Durand",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
            **extra,
        },
    )


def test_staff_changing_their_log_in_address_must_confirm_it(
    client, make_user, academies, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    confirmed_at = timezone.now() - timezone.timedelta(days=30)
    staff = make_user(
        email="gestion@ac-nantes.fr",
        role=NATIONAL_ADMINS,
        first_name="Dominique",
        last_name="Durand",
        email_confirmed_at=confirmed_at,
    )
    client.force_login(staff)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'name="name_email-email"' not in page and 'name="login_email-new_email"' in page
    response = _account_post(
        client,
        staff,
        **{"login_email-new_email": "Dominique.Durand@ac-toulouse.fr", "name_email-email": "x@evil.example"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.email == "gestion@ac-nantes.fr" and staff.email_confirmed_at == confirmed_at
    assert [m.to for m in mail.outbox] == [["dominique.durand@ac-toulouse.fr"]]
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    # Another account cannot use the link.
    other = client.__class__()
    other.force_login(make_user(email="intrus@ac-nantes.fr"))
    assert other.post(path).status_code == 400
    # Opening it shows a button; the change happens on confirmation.
    assert client.get(path).status_code == 200
    staff.refresh_from_db()
    assert staff.email == "gestion@ac-nantes.fr"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 302
    staff.refresh_from_db()
    assert staff.email == "dominique.durand@ac-toulouse.fr" and staff.email_confirmed_at > confirmed_at
    assert mail.outbox[-1].to == ["gestion@ac-nantes.fr"]  # the former address is told
    assert client.post(path).status_code == 400  # once


def test_an_email_change_cannot_take_an_address_in_use(client, make_user):
    staff = make_user(email="gestion@ac-nantes.fr", role=NATIONAL_ADMINS, first_name="D", last_name="D")
    make_user(email="pris@ac-nantes.fr")
    client.force_login(staff)
    _account_post(client, staff, **{"login_email-new_email": "pris@ac-nantes.fr"})
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    client.post(path)
    staff.refresh_from_db()
    assert staff.email == "gestion@ac-nantes.fr"
