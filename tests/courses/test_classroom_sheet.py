"""Classroom sheets print on their own page; every prompt exercise shows the one shared data-protection reminder."""

from html import unescape

from django.conf import settings
from django.urls import reverse

import pytest

SHEET = {
    "title": "Vérifier une réponse d'IA",
    "audience": "Cycle 4 (4ᵉ) — histoire-géographie",
    "duration": "55 min",
    "objective": "<p>Confronter une réponse générée à deux sources.</p>",
    "steps": "<ol><li>Lire la réponse.</li><li>Chercher deux sources.</li></ol>",
    "prompts": "<ul><li>Explique la bataille de Verdun à un élève de 3ᵉ.</li></ul>",
    "watch_out": "<p>Aucun nom d'élève.</p>",
}
EXERCISE = {"title": "Comparer", "task": "<p>Demandez un plan.</p>", "observe": "<p>Qu'est-ce qui change ?</p>"}


@pytest.fixture
def lesson(build_course):
    lesson = build_course(1, 1, translate=False)["lessons"][0]
    lesson.body = [
        {"type": "rich_text", "value": "<p>Texte de la leçon qui ne doit pas être imprimé.</p>"},
        {"type": "classroom_sheet", "value": SHEET},
        {"type": "prompt_exercise", "value": {**EXERCISE, "reminder": "<p>Inventez le texte de toutes pièces.</p>"}},
        {"type": "prompt_exercise", "value": EXERCISE},
    ]
    lesson.save_revision().publish()
    return lesson


def _sheet_id(lesson) -> str:
    return next(block.id for block in lesson.body if block.block_type == "classroom_sheet")


def test_the_lesson_links_to_the_printable_sheet_which_shows_only_the_sheet(client, lesson):
    page = unescape(client.get(lesson.url).content.decode())
    url = reverse("courses:classroom_sheet", args=[lesson.pk, _sheet_id(lesson)])
    assert f'href="{url}"' in page and "Vérifier une réponse d'IA" in page

    sheet = client.get(url)
    assert sheet.status_code == 200
    html = unescape(sheet.content.decode())
    assert "Chercher deux sources" in html and "Cycle 4 (4ᵉ) — histoire-géographie" in html
    assert "ne doit pas être imprimé" not in html  # the rest of the lesson stays out
    assert "site-header" not in html  # no navigation to print
    assert f"Extrait de la leçon «\u00a0{lesson.title}\u00a0»" in html  # where it comes from, in French
    assert settings.PLATFORM_BASE_URL.rstrip("/") + lesson.url in html  # the address to find it again


def test_a_sheet_of_an_unpublished_lesson_or_an_unknown_block_is_not_found(client, lesson):
    assert client.get(reverse("courses:classroom_sheet", args=[lesson.pk, "not-a-block"])).status_code == 404
    sheet_id = _sheet_id(lesson)
    lesson.unpublish()
    assert client.get(reverse("courses:classroom_sheet", args=[lesson.pk, sheet_id])).status_code == 404


def test_every_prompt_exercise_shows_the_shared_reminder_once_plus_its_own_addition(client, lesson):
    html = unescape(client.get(lesson.url).content.decode())
    shared = "Ne collez jamais dans un outil d'IA générative de données personnelles"
    # Two exercises and one sheet: the shared reminder under each, written once in the templates.
    assert html.count(shared) == 3
    assert html.count("Inventez le texte de toutes pièces.") == 1
