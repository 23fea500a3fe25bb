"""Public pages: the list of frameworks and each framework's tree, in the visitor's language."""

from django.shortcuts import get_object_or_404, render

from .models import Framework
from .selectors import framework_tree


def framework_list(request):
    frameworks = Framework.objects.order_by("code")
    return render(request, "competencies/framework_list.html", {"frameworks": frameworks})


def framework_detail(request, code):
    framework = get_object_or_404(Framework, code=code)
    context = {"framework": framework, "nodes": framework_tree(framework=framework)}
    return render(request, "competencies/framework_detail.html", context)
