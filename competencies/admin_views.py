"""Admin screens (Wagtail): frameworks, the tree of each (indented, in order) with add/edit/move/reorder the way
Wagtail's Collections do it (a parent chooser and a position; treebeard's API on save), import with a preview, and
downloads. Business rules live in tree/importing/exporting/selectors; these views only call them."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import permission_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from . import selectors
from .exporting import export_framework
from .formats import FORMATS, FormatError, get_format
from .forms import ConfirmImportForm, FrameworkForm, ImportForm, ItemForm
from .importing import import_framework, max_import_bytes
from .models import CompetencyItem, Framework
from .tree import (
    DRAFT_FIELDS,
    ItemHasEvidence,
    add_item_draft,
    check_deletable,
    delete_item,
    publish_item,
    reorder_item,
    save_item_changes,
)

IMPORT_DIR = "competencies/imports"


@permission_required("competencies.view_framework", raise_exception=True)
def index(request):
    frameworks = Framework.objects.annotate(item_count=Count("items")).order_by("code")
    return render(request, "competencies/admin/index.html", {"frameworks": frameworks, "formats": FORMATS})


@permission_required("competencies.add_framework", raise_exception=True)
def framework_add(request):
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        framework = form.save()
        messages.success(request, _("Framework “%(title)s” created.") % {"title": framework})
        return redirect("competencies_admin:tree", pk=framework.pk)
    return render(request, "competencies/admin/framework_form.html", {"form": form, "framework": None})


@permission_required("competencies.change_framework", raise_exception=True)
def framework_edit(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Framework “%(title)s” updated.") % {"title": framework})
        return redirect("competencies_admin:tree", pk=framework.pk)
    return render(request, "competencies/admin/framework_form.html", {"form": form, "framework": framework})


@permission_required("competencies.view_framework", raise_exception=True)
def tree(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    rows = selectors.tree_rows(selectors.framework_tree(framework=framework, live_only=False))
    return render(request, "competencies/admin/tree.html", {"framework": framework, "rows": rows, "formats": FORMATS})


@permission_required("competencies.add_competencyitem", raise_exception=True)
def item_add(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = ItemForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = add_item_draft(
            framework=framework,
            parent=form.cleaned_data["parent"],
            position=form.cleaned_data["position"] or "last-child",
            user=request.user,
            **{name: form.cleaned_data[name] for name in DRAFT_FIELDS},
        )
        messages.success(
            request, _("Item “%(item)s” added as a draft: it shows once it is published.") % {"item": item}
        )
        return redirect(reverse("competencies_admin:tree", kwargs={"pk": framework.pk}) + f"#item-{item.pk}")
    return render(request, "competencies/admin/item_form.html", {"form": form, "framework": framework, "item": None})


@permission_required("competencies.change_competencyitem", raise_exception=True)
def item_edit(request, pk):
    live_item = get_object_or_404(CompetencyItem.objects.select_related("framework"), pk=pk)
    framework = live_item.framework
    # The pending draft, if any, is what one goes on editing (a separate object: a move reloads the live one).
    item = CompetencyItem.objects.get(pk=live_item.pk).get_latest_revision_as_object()
    form = ItemForm(request.POST or None, instance=item, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            save_item_changes(
                item=live_item,
                draft=form.save(commit=False),
                user=request.user,
                parent=form.cleaned_data["parent"],
                position=form.cleaned_data["position"],
                move=form.parent_changed() or bool(form.cleaned_data["position"]),
            )
        except ValueError as exc:  # a refused move: nothing was saved
            form.add_error("parent", str(exc))
            return render(
                request, "competencies/admin/item_form.html", {"form": form, "framework": framework, "item": item}
            )
        messages.success(
            request,
            _("Changes to “%(item)s” saved as a draft: the public page shows them once they are published.")
            % {"item": item},
        )
        return redirect(reverse("competencies_admin:tree", kwargs={"pk": framework.pk}) + f"#item-{item.pk}")
    return render(request, "competencies/admin/item_form.html", {"form": form, "framework": framework, "item": item})


@require_POST
@permission_required("competencies.publish_competencyitem", raise_exception=True)
def item_publish(request, pk):
    """Publish an item's pending draft (a national editor or a moderator): the public page and learners see it."""
    item = get_object_or_404(CompetencyItem, pk=pk)
    try:
        published = publish_item(item=item, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        if published:
            messages.success(request, _("Item “%(item)s” published.") % {"item": item.get_latest_revision_as_object()})
        else:
            messages.info(request, _("Nothing to publish: the item has no pending changes."))
    return redirect(reverse("competencies_admin:tree", kwargs={"pk": item.framework_id}) + f"#item-{item.pk}")


@require_POST
@permission_required("competencies.change_competencyitem", raise_exception=True)
def item_reorder(request, pk, direction):
    item = get_object_or_404(CompetencyItem, pk=pk)
    if direction not in ("up", "down"):
        raise Http404
    reorder_item(item=item, direction=direction)
    return redirect(reverse("competencies_admin:tree", kwargs={"pk": item.framework_id}) + f"#item-{item.pk}")


@permission_required("competencies.delete_competencyitem", raise_exception=True)
def item_delete(request, pk):
    item = get_object_or_404(CompetencyItem.objects.select_related("framework"), pk=pk)
    refused = ""
    try:
        if request.method == "POST":
            delete_item(item=item, by=request.user)
            messages.success(request, _("Item deleted."))
            return redirect("competencies_admin:tree", pk=item.framework_id)
        check_deletable(item=item)
    except ItemHasEvidence as exc:
        refused = str(exc)
    return render(
        request,
        "competencies/admin/item_delete.html",
        {"item": item, "framework": item.framework, "descendants": item.get_descendant_count(), "refused": refused},
    )


@permission_required("competencies.view_framework", raise_exception=True)
def export(request, pk, format_name):
    framework = get_object_or_404(Framework, pk=pk)
    if format_name not in FORMATS:
        raise Http404
    language = request.GET.get("language") or None
    if language not in (None, "fr", "en"):
        raise Http404
    module = get_format(format_name)
    data = export_framework(framework=framework, format_name=format_name, language=language)
    response = HttpResponse(data, content_type=module.CONTENT_TYPE)
    suffix = f"-{language}" if language else ""
    response["Content-Disposition"] = f'attachment; filename="{framework.code}{suffix}.{module.EXTENSION}"'
    return response


@permission_required("competencies.add_framework", raise_exception=True)
def import_upload(request):
    """Step 1: upload; the file is checked (dry run) and a preview shows what will be created, updated or refused."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_import_bytes():
            form.add_error("file", _("The file is too large (limit %(limit)d bytes).") % {"limit": max_import_bytes()})
            return render(request, "competencies/admin/import.html", context)
        data = upload.read()
        fmt, language = form.cleaned_data["format"] or None, form.cleaned_data["language"] or None
        try:
            reports = import_framework(
                data=data, format_name=fmt, language=language, dry_run=True, filename=upload.name
            )
        except FormatError as exc:
            context["errors"] = exc.errors
            return render(request, "competencies/admin/import.html", context)
        token = uuid.uuid4().hex
        default_storage.save(f"{IMPORT_DIR}/{token}", ContentFile(data))
        context.update(
            reports=reports,
            confirm=ConfirmImportForm(
                initial={"token": token, "filename": upload.name[:255], "format": fmt or "", "language": language or ""}
            ),
        )
    return render(request, "competencies/admin/import.html", context)


@require_POST
@permission_required("competencies.add_framework", raise_exception=True)
def import_confirm(request):
    """Step 2: the same file, imported for real (checked again: the database may have changed meanwhile)."""
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        raise Http404
    name = f"{IMPORT_DIR}/{form.cleaned_data['token']}"
    if not default_storage.exists(name):
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("competencies_admin:import")
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    try:
        reports = import_framework(
            data=data,
            format_name=form.cleaned_data["format"] or None,
            language=form.cleaned_data["language"] or None,
            filename=form.cleaned_data["filename"],
        )
    except FormatError as exc:
        return render(request, "competencies/admin/import.html", {"form": ImportForm(), "errors": exc.errors})
    finally:
        default_storage.delete(name)
    for report in reports:
        messages.success(request, report.summary())
    framework = Framework.objects.get(code=reports[0].framework_code)
    return redirect("competencies_admin:tree", pk=framework.pk)
