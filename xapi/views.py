"""Wagtail admin screens: the outbox at a glance, retry of dead statements, one learner's statements."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import outbox, selectors
from .models import OutboxState, XapiPseudonym

VIEW_PERMISSION = "xapi.view_outboxstatement"
RETRY_PERMISSION = "xapi.change_outboxstatement"


class OutboxView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "xapi/admin/outbox.html"
    header_icon = "resubmit"
    paginate_by = 50

    def get_page_title(self) -> str:
        return _("Learning records (xAPI)")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "")
        learner = self.request.GET.get("learner", "").strip()
        page = Paginator(selectors.outbox_rows(state=state, learner=learner), self.paginate_by).get_page(
            self.request.GET.get("p")
        )
        context.update(
            summary=outbox.summary(),
            states=OutboxState.choices,
            state=state,
            learner=learner,
            learner_known=bool(learner) and XapiPseudonym.objects.filter(pseudonym=learner).exists(),
            page=page,
            items=selectors.with_statements(list(page.object_list)),
            can_retry=self.request.user.has_perm(RETRY_PERMISSION),
        )
        return context


@require_POST
def retry_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied
    pks = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()]
    count = outbox.retry_dead(pks=pks) if pks else outbox.retry_dead()
    messages.success(
        request,
        ngettext("%(count)d dead statement will be sent again.", "%(count)d dead statements will be sent again.", count)
        % {"count": count},
    )
    return HttpResponseRedirect(reverse("xapi_outbox") + "?state=" + OutboxState.PENDING)
