import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import admin_views as course_admin_views
from courses import routing as course_routing
from lms.csp import csp_report
from lms.media import serve_media
from lms.sso_views import sso_callback


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    # Before Wagtail's own URL (same path, same reverse): translating also needs the right to add pages beside.
    path(
        "admin/translation/submit/page/<int:page_id>/",
        course_admin_views.TranslatePageView.as_view(),
        name="translate_page_guarded",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp_report"),
    # The redirect URI registered at the identity providers: one fixed address, outside the language prefixes.
    path("oidc/callback/", sso_callback, name="sso_callback"),
    path("ims/case/v1p1/", include("competencies.api")),  # read-only CASE 1.1 API (public)
]

if settings.SERVE_MEDIA:  # development; production lets the web server serve /media/ (docs/security.md)
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]

urlpatterns += i18n_patterns(
    path(_("account/"), include("lms.urls_accounts")),
    path(_("account/"), include("privacy.urls")),
    path(_("competencies/"), include("competencies.urls")),
    path(_("learning/"), include("courses.urls")),
    path(_("assessments/"), include("assessments.urls")),
    path(_("attestations/"), include("reports.urls")),
    path(_("training-sessions/"), include("cohorts.urls")),
    # Wagtail's page URL, routed in a constant number of queries (courses/routing.py); then Wagtail's own URLs.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", course_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
