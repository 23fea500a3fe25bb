"""Public pages: the list of frameworks and each framework's tree, in the visitor's language.

Other apps add content under each item through the ``competencies_framework_page`` Wagtail hook (no import from
here to them): ``fn(*, request, framework) -> {item_pk: [(title, url), ...]}``; the links are listed under the item.
"""

from django.shortcuts import get_object_or_404, render

from wagtail import hooks

from .crosswalks import matches_by_item
from .models import Framework
from .selectors import framework_tree

PAGE_HOOK = "competencies_framework_page"


def framework_list(request):
    frameworks = Framework.objects.order_by("code")
    return render(request, "competencies/framework_list.html", {"frameworks": frameworks})


def _attach(nodes, links, matches):
    for node in nodes:
        node["links"] = links.get(node["item"].pk, [])
        node["matches"] = matches.get(node["item"].pk, [])
        _attach(node["children"], links, matches)


def framework_detail(request, code):
    framework = get_object_or_404(Framework, code=code)
    nodes = framework_tree(framework=framework)
    links: dict[int, list] = {}
    for fn in hooks.get_hooks(PAGE_HOOK):
        for pk, entries in (fn(request=request, framework=framework) or {}).items():
            links.setdefault(pk, []).extend(entries)
    _attach(nodes, links, matches_by_item(framework=framework))
    return render(request, "competencies/framework_detail.html", {"framework": framework, "nodes": nodes})
