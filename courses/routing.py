"""Page routing in a constant number of queries, whatever the depth of the page.

Wagtail's own router (`Page.route`) walks the tree one level at a time: a query for the child with the next slug,
then one for its specific page, at every level (11 queries for a lesson at depth 6). Here the site's root page in
the active language and every page on the path are found in **one** query (a recursive CTE on the tree's `path`
and `slug`, with the locales joined), then only the page served is read as its specific type. A page type with its
own `route` on the way (a quiz, with its sub-URLs) gets the remaining path exactly as Wagtail would give it.

The pages on the way are kept on the page served (`page._route_ancestors`): `courses.selectors.course_and_module`
and the view-restriction check (`RouteAncestorsMixin.get_view_restrictions`) read them instead of the database.
`serve` is Wagtail's `wagtail.views.serve` with this router; lms/urls.py puts it before Wagtail's own URL.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation

from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from . import sitecache

MAX_DEPTH = 12  # deeper paths (never made by this platform) go through Wagtail's own router


def _chain(root: Page, components: list[str], language: str) -> list[Page]:
    """The localized root and the pages whose slugs are `components`, each a child of the one before, in one query.

    Stops at the first component that is not a child page (a quiz's sub-URL, or a page that does not exist)."""
    slugs = " ".join(f"WHEN {i} THEN %s" for i in range(len(components)))
    slug_case = f"CASE c.lvl {slugs} END" if components else "NULL"
    table = Page._meta.db_table
    sql = f"""
        WITH RECURSIVE chain(id, path, depth, lvl) AS (
            SELECT p.id, p.path, p.depth, 0 FROM {table} p
            WHERE p.id = COALESCE(
                (SELECT t.id FROM {table} t INNER JOIN wagtailcore_locale l ON l.id = t.locale_id
                 WHERE t.translation_key = %s AND l.language_code = %s AND t.live), %s)
            UNION ALL
            SELECT p.id, p.path, p.depth, c.lvl + 1 FROM {table} p INNER JOIN chain c
            ON p.depth = c.depth + 1 AND p.path > c.path AND p.path <= c.path || 'ZZZZ'
            WHERE c.lvl < %s AND p.slug = {slug_case}
        )
        SELECT id FROM chain
    """  # noqa: S608 - only the table name and CASE branches are formatted in; values are parameters
    params = [str(root.translation_key), language, root.pk, len(components), *components]
    if Page._meta.get_field("translation_key").get_internal_type() == "UUIDField" and not _native_uuid():
        params[0] = root.translation_key.hex
    pages = Page.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters
    pages = pages.select_related("locale").order_by("depth")
    return list(pages)


def _native_uuid() -> bool:
    return connection.features.has_native_uuid_field


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    """Like `Page.route_for_request` (and cached on the request in the same attribute, so Wagtail's own look-ups
    reuse it)."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    result = None
    site = _site(request)
    if site is not None:
        components = [component for component in path.split("/") if component]
        try:
            if len(components) > MAX_DEPTH:
                result = site.root_page.localized.specific.route(request, components)
            else:
                result = _route(site.root_page, components)(request)
        except Http404:
            result = None
    request._wagtail_route_for_request = result
    return result


def _site(request: HttpRequest) -> Site | None:
    """`Site.find_for_request`, kept for the current content generation (a site saved or deleted starts a new one)."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = sitecache.memo(
            request, ("site", hostname, port), lambda: Site.find_for_request(_Bare(request))
        )
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        # Wagtail's own per-request copy of the site root paths (for page URLs), kept for the generation as well.
        request._wagtail_cached_site_root_paths = sitecache.memo(request, "site_root_paths", Site.get_site_root_paths)
    return request._wagtail_site


class _Bare:
    """The request as `Site.find_for_request` reads it, without its per-request cache attribute."""

    def __init__(self, request: HttpRequest):
        self._get_raw_host = request._get_raw_host
        self.get_port = request.get_port


def _route(root: Page, components: list[str]):
    language = get_supported_content_language_variant(translation.get_language())
    chain = _chain(root, components, language)
    if not chain:
        raise Http404
    for level, page in enumerate(chain):
        cls = page.specific_class
        last = level == len(chain) - 1
        if cls is None:
            raise Http404
        if cls.route is not Page.route or (last and level < len(components)):
            # A page with its own routing (or the last page found, with components left: Wagtail's own `route`
            # answers 404 or goes on below, as it always does).
            specific = _specific(page, chain[:level])
            return lambda request: _on(specific, request).route(request, components[level:])
    page = chain[-1]
    if not page.live:
        raise Http404
    specific = _specific(page, chain[:-1])
    return lambda request: RouteResult(_on(specific, request))


def _on(page: Page, request: HttpRequest) -> Page:
    page._route_request = request  # (for the content generation, read once per request)
    return page


def _specific(page: Page, ancestors: list[Page]) -> Page:
    cls = page.specific_class
    specific = page if cls is type(page) else cls.objects.select_related("locale").get(pk=page.pk)
    specific._route_ancestors = ancestors
    if ancestors:
        specific._cached_parent_obj = ancestors[-1]
    return specific


class RouteAncestorsMixin:
    """For page types served through `route_for_request`: the view-restriction check reads the pages on the way
    (already in memory) instead of querying the ancestors again, and knows without a query when none of them has
    a restriction (the pages with restrictions are kept for the current content generation: `courses.sitecache`;
    adding or removing a restriction starts a new one)."""

    def get_view_restrictions(self):
        ancestors = getattr(self, "_route_ancestors", None)
        if ancestors is None:
            return super().get_view_restrictions()
        # The pages above the site's root page (the tree's root) are not on the route: read through their paths.
        top = ancestors[0].path if ancestors else self.path
        above = [top[:i] for i in range(Page.steplen, len(top), Page.steplen)]
        ids = {p.alias_of_id or p.pk for p in [*ancestors, self]}
        restricted = sitecache.memo(
            getattr(self, "_route_request", None),
            "restricted_pages",
            lambda: set(PageViewRestriction.objects.values_list("page__path", "page_id").distinct()),
        )
        if not any(page_id in ids or path in above for path, page_id in restricted):
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(Q(page_id__in=ids) | Q(page__path__in=above))


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """`wagtail.views.serve`, routed by `route_for_request`."""
    from wagtail.views import serve_chain  # cycle: courses.models imports this module, wagtail.views needs models

    route_result = route_for_request(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)

    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result

    return on_serve_chain(page, request, args, kwargs)
