"""Shipped reference data: DigCompEdu (22 competences, credited) and crosswalks that each carry their source."""

from io import StringIO

from django.core.management import call_command
from django.utils import translation

import pytest

from competencies.crosswalks import CrosswalkError
from competencies.models import CompetencyItem, Framework, ItemAssociation
from competencies.reference import crosswalks as shipped
from competencies.reference.loader import load_reference_frameworks

pytestmark = pytest.mark.django_db


def test_digcompedu_loads_with_its_22_competences_in_both_languages_and_its_credits(unesco):
    call_command("load_reference_frameworks", stdout=StringIO())
    framework = Framework.objects.get(code="digcompedu-2017")
    items = CompetencyItem.objects.filter(framework=framework)
    assert items.filter(depth=1).count() == 6 and items.filter(depth=2).count() == 22
    assert items.get(code="2.1").label_en == "Selecting digital resources"
    assert items.get(code="2.1").label_fr == "Sélectionner des ressources numériques"
    assert "doi:10.2760/159770" in framework.notes and framework.source_url.startswith("https://joint-research")
    # Again: nothing changes.
    reports, added = load_reference_frameworks()
    assert all(not r.created and not r.updated and not r.deleted for r in reports) and added == 0


def test_every_shipped_crosswalk_carries_its_source(unesco):
    load_reference_frameworks()
    for origin, kind, destination, source in shipped.CROSSWALKS:
        assert kind in ("exactMatchOf", "isRelatedTo")
        assert "http" in source, (origin, destination)
    loaded = ItemAssociation.objects.filter(association_type__in=["exactMatchOf", "isRelatedTo"],
                                            origin__framework__code__in=["unesco-aicft-2024", "digcompedu-2017"])  # fmt: skip
    assert loaded.count() == len(shipped.CROSSWALKS)
    assert all(link.notes.strip() for link in loaded)


def test_a_shipped_crosswalk_without_a_source_is_refused(unesco, monkeypatch):
    monkeypatch.setattr(shipped, "CROSSWALKS", [("unesco-aicft-2024:3.1", "exactMatchOf", "digcompedu-2017:2.1", "")])
    with translation.override("en"), pytest.raises(CrosswalkError, match="no source"):
        load_reference_frameworks()
    assert not Framework.objects.filter(code="digcompedu-2017").exists()  # nothing half-written
