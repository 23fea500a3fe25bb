from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.reauth import mark_password_confirmed

from .erasure import erase_user
from .export import estimated_rows, export_user_data, request_data_export, sync_export_max_rows
from .forms import EraseForm, PasswordConfirmForm
from .models import DataExport

DOWNLOADS_PER_HOUR = 5


def _rate_limited(user) -> bool:
    key = f"privacy:download:{user.pk}"
    count = cache.get_or_set(key, 0, timeout=3600)
    if count >= DOWNLOADS_PER_HOUR:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return False


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """Download my data: a ZIP, after confirming the password; at most a few per hour."""
    form = PasswordConfirmForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request.user):
            return render(request, "privacy/my_data.html", {"form": form, "limited": True}, status=429)
        mark_password_confirmed(request)
        if estimated_rows(user=request.user) > sync_export_max_rows():
            export = request_data_export(user=request.user)
            return redirect("privacy:data_export", token=export.token)
        archive = export_user_data(user=request.user)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="mes-donnees-{timezone.now():%Y%m%d}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "privacy/my_data.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = EraseForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_user(user=user)
        messages.success(request, _("Your account has been erased. Thank you for having trained with us."))
        return redirect("/")
    return render(request, "privacy/delete_account.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """Confirm the password before a sensitive action (valid 15 minutes), then go on to `next`."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = PasswordConfirmForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        mark_password_confirmed(request)
        return redirect(next_url)
    return render(request, "privacy/confirm_password.html", {"form": form, "next": next_url})


@login_required
def data_export(request, token: str):
    """Progress of a background export, then its download (its owner only)."""
    export = DataExport.objects.filter(token=token, user=request.user).first()
    if export is None:
        raise Http404
    if export.status == DataExport.Status.DONE and request.GET.get("telecharger"):
        path = Path(settings.EXPORTS_DIR) / "privacy" / export.file_name
        if not path.is_file():
            raise Http404
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=f"mes-donnees-{export.created_at:%Y%m%d}.zip"
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "privacy/data_export.html", {"export": export})
