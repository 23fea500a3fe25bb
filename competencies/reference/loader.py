"""Load the shipped reference frameworks (DigCompEdu) and sourced crosswalks, through the ordinary importer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ..crosswalks import CrosswalkError, add_crosswalk
from ..formats import FrameworkData, ItemData
from ..formats import case as case_format
from ..importing import import_framework
from ..importing.plan import ImportReport
from ..models import CompetencyItem, ItemAssociation, framework_identifier, item_identifier
from ..uris import api_url
from . import crosswalks as shipped_crosswalks
from . import digcompedu


def digcompedu_data() -> FrameworkData:
    identifier = str(framework_identifier(digcompedu.CODE))
    data = FrameworkData(
        identifier=identifier,
        code=digcompedu.CODE,
        titles=dict(digcompedu.TITLES),
        descriptions=dict(digcompedu.DESCRIPTIONS),
        creator=digcompedu.CREATOR,
        publisher=digcompedu.PUBLISHER,
        edition="2017",
        source_url=digcompedu.SOURCE_URL,
        licence=digcompedu.LICENCE,
        licence_uri=digcompedu.LICENCE_URI,
        adoption_status="Published",
        notes=digcompedu.NOTES,
        subjects=["Digital competence"],
        uri=api_url("CFDocuments", identifier),
    )
    ids = {}
    for code, kind, label_en, label_fr, statement_en, statement_fr in digcompedu.ITEMS:
        ids[code] = str(item_identifier(identifier, code))
        parent = ids.get(code.rsplit(".", 1)[0]) if "." in code else None
        data.items.append(
            ItemData(
                identifier=ids[code],
                code=code,
                item_type=kind,
                labels={"en": label_en, "fr": label_fr},
                statements={"en": statement_en, "fr": statement_fr},
                parent=parent,
                uri=api_url("CFItems", ids[code]),
            )
        )
    data.last_change = dt.datetime(2017, 11, 28, tzinfo=dt.UTC)
    for item in data.items:
        item.last_change = data.last_change
    return data


def _resolve(reference: str) -> CompetencyItem:
    framework_code, _sep, item_code = reference.partition(":")
    item = CompetencyItem.objects.filter(framework__code=framework_code, code=item_code).first()
    if item is None:
        raise CrosswalkError(_("Unknown item “%(ref)s” (framework:code).") % {"ref": reference})
    return item


@transaction.atomic
def load_reference_frameworks() -> tuple[list[ImportReport], int]:
    """Import DigCompEdu (English document, then the French one filling the same nodes) and the shipped crosswalks
    (each with its source). Running it again changes nothing. Returns the import reports and the links added."""
    data = digcompedu_data()
    reports = []
    for language in ("en", "fr"):
        data.language = language
        reports += import_framework(data=case_format.dump(data, language=language), format_name="case")
    added = 0
    for origin, kind, destination, source in shipped_crosswalks.CROSSWALKS:
        if not source.strip():
            raise CrosswalkError(_("Shipped crosswalk %(a)s → %(b)s has no source.") % {"a": origin, "b": destination})
        origin_item, destination_item = _resolve(origin), _resolve(destination)
        if ItemAssociation.objects.filter(
            origin=origin_item, destination=destination_item, association_type=kind
        ).exists():
            continue
        add_crosswalk(origin=origin_item, destination=destination_item, association_type=kind, notes=source)
        added += 1
    return reports, added
