from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail import hooks

import pytest

from competencies.models import CompetencyItem
from competencies.widgets import CompetencyItemMultipleChoiceField

pytestmark = pytest.mark.django_db


def test_public_page_in_french_by_default(client, unesco):
    response = client.get("/competences/unesco-aicft-2024/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Utilisation sûre et responsable" in html and "Safe and responsible use" not in html
    assert "CC BY-SA 3.0 IGO" in html and "UNESCO" in html
    # A nested list: aspect headings, competencies inside.
    assert html.index('<h2><span class="competency-code">2</span>') < html.index(
        '<span class="competency-code">2.2</span>'
    )


def test_public_page_in_english(client, unesco):
    response = client.get("/en/competencies/unesco-aicft-2024/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Safe and responsible use" in html and "Utilisation sûre et responsable" not in html


def test_unknown_framework_is_404(client, db):
    assert client.get("/competences/nope/").status_code == 404


def test_list_of_frameworks(client, unesco):
    html = client.get(reverse("competencies:index")).content.decode()
    assert unesco.get_absolute_url() in html


def test_public_page_queries_do_not_grow(client, unesco, django_assert_max_num_queries):
    client.get("/competences/unesco-aicft-2024/")
    with CaptureQueriesContext(connection) as before:
        client.get("/competences/unesco-aicft-2024/")
    ceiling = len(before.captured_queries)  # read now: the connection's query log is a bounded deque
    parent = CompetencyItem.objects.get(framework=unesco, code="2.2")
    for n in range(30):
        parent.refresh_from_db()
        parent.add_child(framework=unesco, code=f"2.2.{n}", label_fr=f"Sous-item {n}")
    # Adding items starts a new content generation (courses.sitecache): the menu and footer are read again once.
    client.get("/competences/unesco-aicft-2024/")
    with django_assert_max_num_queries(ceiling):
        html = client.get("/competences/unesco-aicft-2024/").content.decode()
    assert "Sous-item 29" in html


def test_widget_shows_the_tree_grouped_and_indented(unesco):
    class Form(forms.Form):
        items = CompetencyItemMultipleChoiceField(required=False)

    two_two = CompetencyItem.objects.get(framework=unesco, code="2.2")
    html = str(Form(initial={"items": [two_two.pk]})["items"])
    assert '<optgroup label="Référentiel de compétences en IA' in html
    assert f'<option value="{two_two.pk}" selected>\u20032.2 Utilisation sûre et responsable</option>' in html
    assert html.index(">2 Éthique de l") < html.index("2.2 Utilisation") < html.index(">3 Fondements")
    form = Form(data={"items": [str(two_two.pk)]})
    assert form.is_valid() and list(form.cleaned_data["items"]) == [two_two]


def test_other_apps_list_their_pages_under_items_through_a_hook(client, unesco):
    two_two = CompetencyItem.objects.get(framework=unesco, code="2.2")

    def lessons(*, request, framework):
        return {two_two.pk: [("Protéger les données des élèves", "/cours/donnees/")]}

    with hooks.register_temporarily("competencies_framework_page", lessons):
        html = client.get("/competences/unesco-aicft-2024/").content.decode()
    assert '<a href="/cours/donnees/">Protéger les données des élèves</a>' in html
    assert html.index("2.2</span>") < html.index("/cours/donnees/") < html.index("2.3</span>")
