from django import template
from django.utils.translation import get_language

from courses import sitecache
from privacy.models import LegalPage

register = template.Library()


@register.inclusion_tag("privacy/legal_links.html", takes_context=True)
def legal_links(context):
    """The legal pages of the current language, for every page's footer (one query, then kept in this process
    until a page changes: `courses.sitecache`)."""
    language = (get_language() or "fr")[:2]
    return {
        "pages": sitecache.memo(
            context.get("request"),
            ("legal_links", language),
            lambda: list(LegalPage.objects.live().filter(locale__language_code=language).order_by("kind")),
        ),
        "request": context.get("request"),
    }
