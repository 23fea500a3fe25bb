from django import template
from django.conf import settings
from django.urls import translate_url
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


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language: the page's translation for Wagtail pages, the same URL otherwise."""
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = []
    translations = {}
    if page is not None and hasattr(page, "get_translations") and page.pk:
        # The page's live translations' URLs (one query), kept in this process until a page changes.
        host = request.get_host() if request is not None else ""
        translations = sitecache.memo(
            request,
            ("translations", page.translation_key, host),
            lambda: {
                t.locale.language_code: t.get_url(request=request)
                for t in page.get_translations(inclusive=True).live().select_related("locale")
            },
        )
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code]
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/"
        if page is not None and code not in translations:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}
