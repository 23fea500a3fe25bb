"""The learner's details: what a teacher notices on the way through a course."""

import datetime as dt

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

import pytest

from courses.blocks import CalloutBlock
from courses.services import setup_academy
from lms.models import Academie
from privacy.models import LegalPage

pytestmark = pytest.mark.django_db


def test_marking_a_lesson_done_confirms_it(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    response = client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]), follow=True)
    assert "«\u00a0Leçon 1.1\u00a0» est marquée comme terminée." in response.content.decode()
    response = client.post(reverse("courses:mark_done", args=[c["lessons"][1].pk]), follow=True)
    assert (
        "«\u00a0Leçon 1.2\u00a0» est terminée, et le module «\u00a0Module 1\u00a0» aussi." in response.content.decode()
    )


def test_a_completed_module_links_to_the_next_one(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    html = client.get(c["modules"][0].url).content.decode()
    assert "Module suivant" not in html
    for lesson in c["lessons"][:2]:
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    html = client.get(c["modules"][0].url).content.decode()
    assert "Vous avez terminé ce module." in html
    assert f'href="{c["modules"][1].url}">Module suivant\u00a0: Module 2</a>' in html


def test_log_in_lands_on_my_learning(client, teacher):
    response = client.post(
        reverse("login"), {"username": "enseignant@ac-toulouse.fr", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == "/apprendre/"


def test_menu_links_catalogue_and_profile_and_course_page_offers_sign_up(client, build_course, teacher):
    c = build_course()
    html = client.get(c["course"].url).content.decode()
    assert f'href="{reverse("signup")}">Créer un compte pour s\'inscrire</a>' in html
    assert f'href="{c["course"].get_parent().url}">Catalogue</a>' in html
    client.force_login(teacher)
    html = client.get(c["course"].url).content.decode()
    assert 'href="/competences/mon-profil/">Mon profil de compétences</a>' in html
    with translation.override("en"):
        assert reverse("courses:my_learning") == "/en/learning/"
        assert reverse("login") == "/en/account/login/"


def test_home_page_cards_are_catalogues_only(client, build_course):
    c = build_course(translate=False)
    home = c["course"].get_parent().get_parent()
    home.add_child(
        instance=LegalPage(
            title="Mentions légales", slug="mentions-legales", kind="legal_notice", body="<p>Éditeur.</p>"
        )
    )
    html = client.get(home.url).content.decode()
    cards = html.split('<ul class="cards">')[1].split("</ul>")[0]
    assert "Catalogue national" in cards and "Mentions légales" not in cards


def test_an_empty_academie_catalogue_says_so_and_points_to_the_national_one(client, build_course):
    build_course(translate=False)
    pages, _group = setup_academy(academie=Academie.objects.get(name="Toulouse"))
    fr = next(p for p in pages if p.locale.language_code == "fr")
    html = client.get(fr.url).content.decode()
    assert "Ce catalogue ne propose encore aucune formation." in html
    assert "filtre" not in html.split("<main")[1].lower()
    assert 'href="/catalogue/">Voir les formations du catalogue national</a>' in html


def test_dates_percentages_and_labels_as_each_language_writes_them():
    template = Template("{% load lms_tags %}{{ d|long_date }}|{{ 95|percent }}|{{ 'Relue par vous.'|label_colon }}")
    context = Context({"d": dt.date(2026, 12, 1)})
    with translation.override("fr"):
        assert template.render(context) == "1er décembre 2026|95\u00a0%|Relue par vous\u00a0:"
    with translation.override("en"):
        assert template.render(context) == "1 December 2026|95%|Relue par vous:"
    with translation.override("fr"):
        assert template.render(Context({"d": dt.date(2026, 12, 2)})).startswith("2 décembre 2026|")


def test_callout_heading_does_not_repeat_its_label():
    block = CalloutBlock()
    value = block.to_python({"kind": "key_idea", "title": "Idée clé : plausible n'est pas vrai", "text": "<p>x</p>"})
    with translation.override("fr"):
        html = block.render(value)
    assert html.count("Idée clé") == 2  # the aria-label and the visible label, never the title again
    assert "Idée clé — <strong>Plausible n&#x27;est pas vrai</strong>" in html
