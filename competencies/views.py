"""Public pages: the list of frameworks and each framework's tree, in the visitor's language.

Other apps add content under each item through the ``competencies_framework_page`` Wagtail hook (no import from
here to them): ``fn(*, request, framework) -> {item_pk: [(title, url), ...]}``; the links are listed under the item.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail import hooks

from .crosswalks import matches_by_item
from .models import Framework
from .selectors import (
    AT_EASE,
    NOT_STARTED,
    SECURED,
    TO_WORK,
    competency_profile,
    default_framework,
    framework_tree,
    profile_chart,
    profile_rule,
    tree_rows,
)

PAGE_HOOK = "competencies_framework_page"


def framework_list(request):
    frameworks = Framework.objects.order_by("code")
    return render(request, "competencies/framework_list.html", {"frameworks": frameworks})


def framework_detail(request, code):
    framework = get_object_or_404(Framework, code=code)
    nodes = framework_tree(framework=framework)
    links: dict[int, list] = {}
    for fn in hooks.get_hooks(PAGE_HOOK):
        for pk, entries in (fn(request=request, framework=framework) or {}).items():
            links.setdefault(pk, []).extend(entries)
    matches = matches_by_item(framework=framework)
    rows = tree_rows(nodes)
    for row in rows:
        row["links"] = links.get(row["item"].pk, [])
        row["matches"] = matches.get(row["item"].pk, [])
    return render(request, "competencies/framework_detail.html", {"framework": framework, "rows": rows})


@login_required
@require_GET
def my_profile(request):
    """The learner's competency profile: learning (module quizzes, lessons) and self-positioning, side by side,
    each state with the reason for it (the rule of ``selectors.assess``, the same as on every results page)."""
    framework = default_framework()
    rows = competency_profile(user=request.user, framework=framework) if framework else []
    leaves = [row for row in rows if row.item.depth > 1]
    counts = {
        "secured": sum(r.state == SECURED for r in leaves),
        "started": sum(r.state != NOT_STARTED for r in leaves),
        "total": len(leaves),
        "positioned": sum(r.positioning.state != NOT_STARTED for r in leaves),
        "at_ease": sum(r.positioning.state == AT_EASE for r in leaves),
        "to_work": sum(r.positioning.state == TO_WORK for r in leaves),
    }
    return render(
        request,
        "competencies/my_profile.html",
        {
            "framework": framework,
            "rows": rows,
            "counts": counts,
            "chart": profile_chart(leaves),
            "rule_questions": profile_rule()[0],
            "rule_ratio": _("%(value)s%%") % {"value": round(profile_rule()[1] * 100)},
        },
    )
