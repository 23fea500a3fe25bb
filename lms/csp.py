"""Content Security Policy: the strict learner policy everywhere, a wider one for Wagtail's administration.

See docs/csp.md for what Wagtail 8's administration needs and why. Previews keep the learner policy: Wagtail renders
them through the whole middleware chain for the page's public URL, so the inner pass sets the learner header first,
and Django's middleware never overwrites a header already set.
"""

import json
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoContentSecurityPolicyMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("lms.csp")

# A report is a few hundred bytes; anything much larger is not one.
MAX_REPORT_BYTES = 16_384


class ContentSecurityPolicyMiddleware(DjangoContentSecurityPolicyMiddleware):
    """Django's middleware, choosing `SECURE_CSP_ADMIN` for the administration's own screens."""

    def process_response(self, request, response):
        if request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)


@csrf_exempt
@require_POST
def csp_report(request):
    """Where browsers send Content Security Policy violation reports (`report-uri`): logged as warnings."""
    if len(request.body) > MAX_REPORT_BYTES:
        return HttpResponseBadRequest()
    try:
        report = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponseBadRequest()
    body = report.get("csp-report", report) if isinstance(report, dict) else None
    if not isinstance(body, dict):
        return HttpResponseBadRequest()
    logger.warning(
        "CSP violation: %s blocked %s on %s",
        body.get("violated-directive") or body.get("effective-directive"),
        body.get("blocked-uri"),
        body.get("document-uri"),
    )
    return HttpResponse(status=204)
