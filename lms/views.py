from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ProfileForm, SignupForm
from .models import User
from .tokens import email_confirmation_token


def _send_confirmation(request, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    link = settings.PLATFORM_BASE_URL + reverse("confirm_email", args=[uid, token])
    body = render_to_string("registration/confirm_email.txt", {"user": user, "link": link}, request=request)
    send_mail(_("Confirm your e-mail address"), body, None, [user.email])


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.is_active = False
        user.preferred_language = request.LANGUAGE_CODE[:2]
        user.save()
        _send_confirmation(request, user)
        return render(request, "registration/signup_done.html", {"email": user.email})
    return render(request, "registration/signup.html", {"form": form})


def confirm_email(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "registration/confirm_email_invalid.html", status=400)
    if request.method != "POST":
        # A link preview or a prefetch must not confirm anything: confirmation is a button.
        return render(request, "registration/confirm_email.html", {"confirm_user": user})
    services.confirm_email(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.academie:
        messages.success(
            request, _("Your address is confirmed. Your académie: %(academie)s.") % {"academie": user.academie}
        )
    else:
        messages.info(
            request,
            _(
                "Your address is confirmed. It is not an académie address, so your académie manager "
                "will need to attach your account to your académie."
            ),
        )
    return redirect("profile")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["preferred_language"])
        return response
    return render(request, "account/profile.html", {"form": form})
