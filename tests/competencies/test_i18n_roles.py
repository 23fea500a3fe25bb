import json

from django.contrib.auth.models import Group
from django.utils import translation

import pytest

from competencies.formats import FormatError
from competencies.importing import import_framework
from lms.roles import COORDINATORS, MODERATORS, NATIONAL_EDITORS, TEACHERS

pytestmark = pytest.mark.django_db


def test_only_national_editors_get_the_framework_editing_permissions_after_migrate(make_user):
    def codenames(role):
        group = Group.objects.get(name=role)
        return set(group.permissions.filter(content_type__app_label="competencies").values_list("codename", flat=True))

    editing = {"add_competencyitem", "change_competencyitem", "delete_competencyitem", "add_framework"}
    assert editing | {"change_framework", "publish_competencyitem"} <= codenames(NATIONAL_EDITORS)
    assert codenames(COORDINATORS) == {"view_framework", "view_competencyitem"}
    assert "publish_competencyitem" in codenames(MODERATORS) and not editing & codenames(MODERATORS)
    coordinator = make_user(email="c@ac-nice.fr", role=COORDINATORS)
    teacher = make_user(email="t@ac-nice.fr", role=TEACHERS)
    assert coordinator.has_perm("competencies.view_framework")
    assert not coordinator.has_perm("competencies.change_competencyitem")
    assert not teacher.has_perm("competencies.view_framework")


def test_errors_are_in_french_for_a_french_user():
    with translation.override("fr"), pytest.raises(FormatError) as info:
        import_framework(data=b"a;b\n1;2\n", format_name="moodle-csv")
    assert "Ligne 1 : les 14 colonnes" in str(info.value)


def test_field_errors_are_in_french_and_name_the_row():
    header = ",".join(f"c{n}" for n in range(14)) + "\n"
    data = (header + ",FW,Référentiel,,1,,,,,,,,1,\nZZ,A,Alpha,,1,,,,,,,,0,\n").encode()
    with translation.override("fr"), pytest.raises(FormatError) as info:
        import_framework(data=data)
    assert "ligne 3 « A », champ « Parent ID number » : parent « ZZ » inconnu" in str(info.value).replace(
        "“", "« "
    ).replace("”", " »")


def test_admin_menu_label_in_french(client, make_user):
    client.force_login(make_user(email="c@ac-nice.fr", role=COORDINATORS))
    html = client.get("/admin/").content.decode()
    # The sidebar menu is serialised as JSON in the page (non-ASCII escaped).
    assert json.dumps("Référentiels de compétences")[1:-1] in html or "Référentiels de compétences" in html
