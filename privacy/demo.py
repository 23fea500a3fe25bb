"""Demo legal pages (privacy notice, legal notice, accessibility statement) in French and English.

Placeholders in square brackets are for the académie deploying the platform to fill in (docs/data-protection.md).
"""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from wagtail.models import Locale, Page

from courses.models import HomePage
from courses.services import content_key

from .models import LegalPage

CONTENT = Path(__file__).parent / "content" / "legal_pages.json"


@transaction.atomic
def load() -> None:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    reviewed = dt.date.fromisoformat(data["checked_on"])
    for lang in ("fr", "en"):
        locale = Locale.objects.get(language_code=lang)
        home = HomePage.objects.get(locale=locale)
        for entry in data["pages"]:
            key = content_key(f"legal-{entry['key']}")
            if Page.objects.filter(translation_key=key, locale=locale).exists():
                continue
            text = entry[lang]
            page = LegalPage(
                title=text["title"],
                slug=text["slug"],
                kind=entry["key"],
                body=text["body"],
                last_reviewed=reviewed,
                translation_key=key,
                locale=locale,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
