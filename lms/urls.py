from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("ims/case/v1p1/", include("competencies.api")),  # read-only CASE 1.1 API (public)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("compte/", include("lms.urls_accounts")),
    path("compte/", include("privacy.urls")),
    path("competences/", include("competencies.urls")),
    path("apprendre/", include("courses.urls")),
    path("evaluations/", include("assessments.urls")),
    path("attestations/", include("reports.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
