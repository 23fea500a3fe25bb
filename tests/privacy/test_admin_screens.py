"""National administrators' screens: the audit log (read-only, no 500), processing an erasure request (the form names
the person, explains, asks to type their e-mail), who may erase whom, and Wagtail's hard delete replaced by erasure."""

from django.urls import reverse

import pytest

from lms.audit import AuditEntry, audit
from lms.roles import ACADEMY_MANAGERS, NATIONAL_ADMINS, TEACHERS

PASSWORD = "correct-horse-battery"


@pytest.fixture
def superuser(make_user):
    return make_user(email="root@formation-ia.example", is_superuser=True, is_staff=True)


@pytest.fixture
def national_admin(make_user):
    return make_user(email="dpo@education.gouv.fr", role=NATIONAL_ADMINS, is_staff=True)


@pytest.fixture
def learner(make_user, academies):
    return make_user(
        email="camille.durand@ac-nantes.fr",
        role=TEACHERS,
        first_name="Camille",
        last_name="Durand",
        academie=academies["Nantes"],
    )


def erase_url(user) -> str:
    return reverse("privacy_erase", args=[user.pk])


# --- The audit log ---


@pytest.mark.parametrize("who", ["superuser", "national_admin"])
def test_the_audit_log_opens_and_is_read_only(client, request, learner, who):
    admin = request.getfixturevalue(who)
    audit(actor=admin, action=AuditEntry.Action.REPORT_VIEW, detail={"report": "completions"}, row_count=12)
    entry = AuditEntry.objects.get()
    client.force_login(admin)
    response = client.get("/admin/privacy_audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/admin/privacy_audit/add/" not in html and "/edit/" not in html and "/delete/" not in html
    assert client.get(f"/admin/privacy_audit/inspect/{entry.pk}/").status_code == 200
    for path in ("add/", f"edit/{entry.pk}/", f"delete/{entry.pk}/"):
        assert client.get(f"/admin/privacy_audit/{path}").status_code == 404


def test_a_manager_cannot_read_the_audit_log(client, make_user, academies):
    manager = make_user(email="gestion@ac-nantes.fr", role=ACADEMY_MANAGERS, academie=academies["Nantes"])
    client.force_login(manager)
    assert client.get("/admin/privacy_audit/").status_code in {302, 403}


# --- The erasure form ---


def test_the_form_names_the_person_and_explains_what_erasure_does(client, national_admin, learner):
    client.force_login(national_admin)
    html = client.get(erase_url(learner)).content.decode()
    assert "Camille Durand" in html and "camille.durand@ac-nantes.fr" in html and "Nantes" in html
    assert "Ce que fait l’effacement" in html and "irréversible" in html
    assert "Compte effacé" in html  # how reports will show it
    assert "Saisissez l’adresse électronique de la personne pour confirmer" in html
    assert "Erase account #" not in html and "compte n°" not in html


def test_erasure_needs_the_persons_email_typed_and_the_admins_password(client, make_user, learner):
    admin = make_user(email="dpo@education.gouv.fr", password=PASSWORD, role=NATIONAL_ADMINS, is_staff=True)
    client.force_login(admin)
    url = erase_url(learner)
    response = client.post(url, {"confirm_email": "someone.else@ac-nantes.fr", "password": PASSWORD})
    assert response.status_code == 400
    assert "Ce n’est pas l’adresse électronique du compte à effacer" in response.content.decode()
    response = client.post(url, {"confirm_email": learner.email, "password": "wrong"})
    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.is_active and learner.email == "camille.durand@ac-nantes.fr"  # nothing half-done
    assert not AuditEntry.objects.exists()
    response = client.post(url, {"confirm_email": " Camille.Durand@AC-NANTES.fr ", "password": PASSWORD})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert not learner.is_active and learner.email.endswith("@invalid") and learner.get_full_name() == ""
    assert AuditEntry.objects.get(action="erasure_completed").actor == admin
    # An erased account is not offered for erasure again
    assert client.get(url).status_code == 403


def test_a_superuser_is_never_erased(client, national_admin, superuser, make_user):
    other_root = make_user(email="root2@formation-ia.example", is_superuser=True, is_staff=True)
    for actor in (national_admin, superuser):
        client.force_login(actor)
        response = client.get(erase_url(other_root))
        assert response.status_code == 403
        assert (
            "superutilisateur" in response.content.decode()
            and "<form" not in response.content.decode().split("main")[-1]
        )
        response = client.post(erase_url(other_root), {"confirm_email": other_root.email, "password": PASSWORD})
        assert response.status_code == 403
    other_root.refresh_from_db()
    assert other_root.is_active and other_root.is_superuser


def test_only_a_superuser_erases_a_national_administrator(client, make_user, superuser):
    admin = make_user(email="admin1@education.gouv.fr", role=NATIONAL_ADMINS, is_staff=True)
    other = make_user(email="admin2@education.gouv.fr", role=NATIONAL_ADMINS, is_staff=True)
    client.force_login(admin)
    assert client.get(erase_url(other)).status_code == 403
    assert client.post(erase_url(other), {"confirm_email": other.email, "password": PASSWORD}).status_code == 403
    assert client.get(erase_url(admin)).status_code == 403  # not oneself either
    superuser.set_password(PASSWORD)
    superuser.save()
    client.force_login(superuser)
    assert client.post(erase_url(other), {"confirm_email": other.email, "password": PASSWORD}).status_code == 302
    other.refresh_from_db()
    assert not other.is_active


@pytest.mark.parametrize("role", [TEACHERS, ACADEMY_MANAGERS])
def test_people_below_national_administrators_cannot_erase(client, make_user, academies, learner, role):
    client.force_login(make_user(email="x@ac-nantes.fr", role=role, academie=academies["Nantes"]))
    assert client.get(erase_url(learner)).status_code in {302, 403}


# --- Hard delete replaced by erasure ---


def test_the_users_listing_offers_erasure_not_deletion_for_learners(client, superuser, learner):
    client.force_login(superuser)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert erase_url(learner) in html
    assert reverse("wagtailusers_users:delete", args=[learner.pk]) not in html
    html = client.get(reverse("wagtailusers_users:edit", args=[learner.pk])).content.decode()
    assert reverse("wagtailusers_users:delete", args=[learner.pk]) not in html


def test_the_delete_url_leads_to_erasure_and_deletes_nothing(client, superuser, learner):
    client.force_login(superuser)
    delete = reverse("wagtailusers_users:delete", args=[learner.pk])
    for method in (client.get, client.post):
        response = method(delete)
        assert response.status_code == 302 and response.url == erase_url(learner)
    learner.refresh_from_db()
    assert learner.is_active


def test_bulk_delete_of_learners_is_refused(client, superuser, learner):
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=["lms", "user", "delete"]) + f"?id={learner.pk}"
    response = client.post(url, {"id": [learner.pk]})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.is_active


def test_a_superuser_account_can_still_be_deleted_by_a_superuser(client, superuser, make_user):
    other_root = make_user(email="root2@formation-ia.example", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.post(reverse("wagtailusers_users:delete", args=[other_root.pk])).status_code == 302
    assert not type(other_root).objects.filter(pk=other_root.pk).exists()
