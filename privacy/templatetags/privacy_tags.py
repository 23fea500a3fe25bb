from django import template
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("privacy/legal_links.html")
def legal_links():
    """The legal pages of the current language, for every page's footer (one query)."""
    from ..models import LegalPage

    language = (get_language() or "fr")[:2]
    pages = LegalPage.objects.live().filter(locale__language_code=language).order_by("kind")
    return {"pages": list(pages)}
