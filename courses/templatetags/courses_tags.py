from django import template
from django.conf import settings
from django.utils.translation import get_language

from courses import sitecache
from courses.models import CataloguePage

register = template.Library()


@register.simple_tag(takes_context=True)
def national_catalogue_url(context) -> str:
    """The national catalogue in the current language (for the main menu and empty catalogues): one query, then
    kept in this process until a page changes (`courses.sitecache`)."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    request = context.get("request")

    def find() -> str:
        pages = CataloguePage.objects.live().filter(academie__isnull=True).select_related("locale").order_by("path")
        chosen = next((p for p in pages if p.locale.language_code == language), None) or pages.first()
        return chosen.get_url(request=request) if chosen else ""

    host = request.get_host() if request is not None else ""
    return sitecache.memo(request, ("national_catalogue_url", language, host), find)
