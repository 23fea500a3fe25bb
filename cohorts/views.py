"""The trainer's view: their sessions, their group's progress, attendance and reminders (no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.charts import Series, bar_chart
from lms.smallnumbers import Figure
from lms.templatetags.lms_tags import long_date

from . import selectors, services


def _figure(n: int) -> Figure:
    # The trainer's own group: names are visible beside the figures, so no small-number suppression here.
    return Figure(n, str(n))


@login_required
def session_list(request):
    sessions = selectors.followed_sessions(request.user).select_related("course", "academie").order_by("-starts_on")
    return TemplateResponse(request, "cohorts/session_list.html", {"sessions": sessions})


@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(selectors.followed_sessions(request.user).select_related("course", "academie"), pk=pk)
    view = selectors.group_view(session=session, language=get_language() or "fr")
    status = request.GET.get("statut", "")
    if status not in selectors.STATUS_LABELS:
        status = ""
    modules = view.structure.modules
    module_chart = bar_chart(
        chart_id="modules",
        title=_("Participants per module"),
        description=_(
            "For each module, how many participants have done every required activity, and how many have started it."
        ),
        # Short labels under the bars (long titles would overlap); the table under the chart gives the titles.
        labels=[_("Module %(n)d") % {"n": n} for n, _m in enumerate(modules, start=1)],
        series=[
            Series(
                _("module done"),
                [
                    _figure(
                        sum(
                            1
                            for r in view.rows
                            if r.module_done[m.key][0] == r.module_done[m.key][1] and r.module_done[m.key][1]
                        )
                    )
                    for m in modules
                ],
            ),
            Series(
                _("started, not done"),
                [
                    _figure(sum(1 for r in view.rows if 0 < r.module_done[m.key][0] < r.module_done[m.key][1]))
                    for m in modules
                ],
            ),
        ],
    )
    competency_chart = None
    if view.items:
        competency_chart = bar_chart(
            chart_id="competencies",
            title=_("Competencies secured in the group"),
            description=_("For each competency the course develops, how many participants have secured it."),
            labels=[item.code for item in view.items],
            series=[
                Series(
                    _("participants who secured it"), [_figure(selectors.secured_count(view, i.pk)) for i in view.items]
                )
            ],
        )
    rows = view.filtered(status)
    return TemplateResponse(
        request,
        "cohorts/session_detail.html",
        {
            "session": session,
            "view": view,
            "rows": rows,
            "status": status,
            "statuses": list(selectors.STATUS_LABELS.items()),
            "module_chart": module_chart,
            "competency_chart": competency_chart,
            "competency_rows": [{"item": i, "secured": selectors.secured_count(view, i.pk)} for i in view.items],
            "module_rows": [
                {
                    "module": m,
                    "done": sum(
                        1
                        for r in view.rows
                        if r.module_done[m.key][1] and r.module_done[m.key][0] == r.module_done[m.key][1]
                    ),
                    "started": sum(1 for r in view.rows if 0 < r.module_done[m.key][0] < r.module_done[m.key][1]),
                }
                for m in modules
            ],
            "stuck_days": selectors.stuck_after_days(),
            "not_started_count": view.counts["not_started"],
        },
    )


@login_required
@require_POST
def send_reminders(request, pk: int):
    session = get_object_or_404(selectors.followed_sessions(request.user), pk=pk)
    result = services.send_reminders(session=session, by=request.user)
    if result.sent:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to %(n)d participant.",
                "A reminder was sent to %(n)d participants.",
                len(result.sent),
            )
            % {"n": len(result.sent)},
        )
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(n)d participant was already reminded in the last 24 hours: not sent again.",
                "%(n)d participants were already reminded in the last 24 hours: not sent again.",
                len(result.skipped),
            )
            % {"n": len(result.skipped)},
        )
    if not result.sent and not result.skipped:
        messages.info(request, _("Every participant has started: nobody to remind."))
    return redirect("cohorts:detail", pk=session.pk)


@login_required
@require_POST
def attendance(request, pk: int, date_pk: int):
    session = get_object_or_404(selectors.followed_sessions(request.user), pk=pk)
    date = get_object_or_404(session.in_person_dates, pk=date_pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    services.record_attendance(session=session, in_person_date=date, present_ids=present, by=request.user)
    messages.success(request, _("Attendance saved for %(date)s.") % {"date": long_date(date.day)})
    return redirect("cohorts:detail", pk=session.pk)
