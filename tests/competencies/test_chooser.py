"""The competency chooser: a modal listing the framework tree path, code and label, with search; and the widget
used wherever a competency is chosen in the admin (questions, quizzes, courses, modules, lessons)."""

from __future__ import annotations

from html import unescape

from django.http import QueryDict

import pytest

from assessments.admin_forms import edit_handler_for
from assessments.models import QuizPage
from competencies.models import CompetencyItem
from competencies.widgets import CompetencyItemsChooserWidget
from courses.models import CoursePage, LessonPage, ModulePage
from lms import roles

pytestmark = pytest.mark.django_db
CHOOSE = "/admin/competency-chooser/"


@pytest.fixture
def coordinator_client(client, make_user, academies):
    user = make_user(email="coordo@ac-toulouse.fr", role=roles.COORDINATORS, academie=academies["Toulouse"])
    client.force_login(user)
    return client


def test_the_chooser_lists_path_code_and_label_and_searches(coordinator_client, unesco):
    item = CompetencyItem.objects.get(framework=unesco, code="2.1")
    parent = item.get_parent()
    response = coordinator_client.get(CHOOSE, {"q": "2.1"})
    assert response.status_code == 200
    html = unescape(response.json()["html"])
    assert item.label in html and "2.1" in html
    assert f"{unesco.title} › {parent}" in html  # the tree path
    other = CompetencyItem.objects.get(framework=unesco, code="3.1")
    assert other.label not in html  # searching by code narrows the list
    by_words = unescape(coordinator_client.get(CHOOSE + "results/", {"q": item.label_fr.split()[0]}).content.decode())
    assert item.label_fr in by_words


def test_choosing_returns_the_item_with_its_path(coordinator_client, unesco):
    item = CompetencyItem.objects.get(framework=unesco, code="1.1")
    data = coordinator_client.get(f"{CHOOSE}chosen/{item.pk}/").json()
    assert data["step"] == "chosen"
    assert data["result"]["id"] == str(item.pk)
    assert data["result"]["title"].startswith(unesco.title + " › ") and data["result"]["title"].endswith(str(item))
    several = coordinator_client.get(f"{CHOOSE}chosen-multiple/", {"id": [item.pk, item.get_parent().pk]}).json()
    assert {r["id"] for r in several["result"]} == {str(item.pk), str(item.get_parent().pk)}


def test_teachers_cannot_open_the_chooser(client, make_user, academies):
    teacher = make_user(email="prof@ac-toulouse.fr", role=roles.TEACHERS, academie=academies["Toulouse"])
    client.force_login(teacher)
    assert client.get(CHOOSE).status_code in (302, 403)


def test_the_widget_shows_chosen_items_as_ticked_boxes_and_reads_them_back(unesco, django_assert_max_num_queries):
    items = list(CompetencyItem.objects.filter(framework=unesco, code__in=["1.1", "2.1"]).order_by("path"))
    widget = CompetencyItemsChooserWidget()
    with django_assert_max_num_queries(3):
        html = widget.render("competencies", [i.pk for i in items], attrs={"id": "id_competencies"})
    for item in items:
        assert f'name="competencies" value="{item.pk}" checked' in html
        assert str(item) in html
    assert "Ajouter des compétences" in html and 'data-chooser-url="/admin/competency-chooser/"' in html
    assert widget.value_from_datadict(QueryDict(f"competencies={items[0].pk}"), {}, "competencies") == [
        str(items[0].pk)
    ]


def test_every_competency_field_of_the_admin_uses_the_chooser():
    for model in (CoursePage, ModulePage, LessonPage, QuizPage):
        form_class = model.get_edit_handler().get_form_class()
        for name in ("competencies", "draw_competencies"):
            if name in form_class.base_fields:
                assert isinstance(form_class.base_fields[name].widget, CompetencyItemsChooserWidget), (model, name)
    question_form = edit_handler_for("single", 4).get_form_class()
    assert isinstance(question_form.base_fields["competencies"].widget, CompetencyItemsChooserWidget)
