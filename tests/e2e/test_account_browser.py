"""Real Chromium: the account and data-protection pages pass axe-core (WCAG 2.1 AA) in both languages."""

from django.urls import reverse
from django.utils import translation

import pytest

from lms.roles import TEACHERS
from privacy import demo as privacy_demo
from privacy.models import LegalPage

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mot-de-passe-de-test"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_account_pages_have_no_axe_violation(page, live_server, login, django_user_model, academies, prefix):
    from django.contrib.auth.models import Group

    privacy_demo.load()
    user = django_user_model.objects.create_user(
        email="prof@ac-nantes.fr", password=PASSWORD, academie=academies["Nantes"]
    )
    user.groups.add(Group.objects.get(name=TEACHERS))
    with translation.override("en" if prefix else "fr"):  # URL patterns are translated (/en/account/login/)
        public = [reverse("login"), reverse("signup"), reverse("password_reset")]
        private = [reverse("profile"), reverse("privacy:my_data"), reverse("privacy:delete_account")]
    for path in public:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    # A form with errors: the summary and the messages tied to their fields stay accessible.
    page.goto(f"{live_server.url}{public[1]}")
    page.click("button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
    login(page, "prof@ac-nantes.fr", PASSWORD)
    for path in private:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    for legal in LegalPage.objects.filter(locale__language_code="en" if prefix else "fr"):
        page.goto(live_server.url + legal.url)
        assert axe_violations(page) == [], legal.url
