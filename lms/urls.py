from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path(_("account/"), include("lms.urls_accounts")),
    path(_("account/"), include("privacy.urls")),
    path(_("competencies/"), include("competencies.urls")),
    path(_("learning/"), include("courses.urls")),
    path(_("assessments/"), include("assessments.urls")),
    path(_("attestations/"), include("reports.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
