import uuid

from django.db import IntegrityError, transaction
from django.utils import translation

import pytest

from competencies.models import CompetencyItem, Framework, item_identifier

pytestmark = pytest.mark.django_db


def test_unesco_framework_is_there_after_migrate(unesco):
    items = list(CompetencyItem.objects.filter(framework=unesco).order_by("path"))
    aspects = [i for i in items if i.depth == 1]
    competencies = [i for i in items if i.depth == 2]
    assert [a.code for a in aspects] == ["1", "2", "3", "4", "5"]
    assert len(competencies) == 15
    # Each aspect holds its three levels, in order, right after it (depth-first order).
    assert [i.code for i in items[:4]] == ["1", "1.1", "1.2", "1.3"]
    for aspect in aspects:
        assert [c.code for c in aspect.get_children()] == [f"{aspect.code}.{level}" for level in (1, 2, 3)]
    for item in items:
        assert item.label_fr and item.label_en and item.statement_fr and item.statement_en
        assert item.label_fr != item.label_en


def test_unesco_is_credited_with_licence_and_edition(unesco):
    assert unesco.licence == "CC BY-SA 3.0 IGO"
    assert "978-92-3-100707-1" in unesco.notes
    assert "10.54675/ZJTE2084" in unesco.source_url
    assert unesco.edition == "2024"
    assert "UNESCO" in unesco.creator


def test_identifiers_are_stable_uuid5(unesco):
    item = CompetencyItem.objects.get(framework=unesco, code="2.2")
    assert item.identifier == item_identifier(unesco.identifier, "2.2")
    assert isinstance(unesco.identifier, uuid.UUID)
    assert unesco.identifier == uuid.uuid5(
        uuid.UUID("6f1c3f0e-4a63-5b8e-9a57-3c1a8f6e2b10"), "framework:unesco-aicft-2024"
    )


def test_label_follows_active_language(unesco):
    item = CompetencyItem.objects.get(framework=unesco, code="2.2")
    with translation.override("fr"):
        assert item.label == "Utilisation sûre et responsable"
        assert unesco.title.startswith("Référentiel")
    with translation.override("en"):
        assert item.label == "Safe and responsible use"
        assert unesco.title.startswith("AI Competency Framework")


def test_label_falls_back_to_the_other_language(unesco):
    item = CompetencyItem.objects.get(framework=unesco, code="2.2")
    item.label_en = ""
    with translation.override("en"):
        assert item.label == "Utilisation sûre et responsable"


def test_codes_are_unique_per_framework(unesco):
    other = Framework.objects.create(code="other")
    CompetencyItem.add_root(framework=other, code="2.2", label_en="Same code, other framework")  # allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyItem.add_root(framework=unesco, code="2.2", label_en="Duplicate")
