from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ConfirmSignupForm, ProfileForm, ResendConfirmationForm, SignupForm
from .models import User
from .security import hit_rate_limit, normalise_email
from .tokens import email_confirmation_token

SIGNUP_MAILS_PER_HOUR = 5  # per address: sign-up and "resend" cannot be used to flood someone's mailbox
RESET_MAILS_PER_HOUR = 5  # per address, likewise for password-reset e-mails


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with at most RESET_MAILS_PER_HOUR e-mails per address (the page never changes)."""

    def form_valid(self, form):
        email = normalise_email(form.cleaned_data["email"])
        if hit_rate_limit(f"lms:reset-mail:{email}", limit=RESET_MAILS_PER_HOUR, window=3600):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's set-a-new-password page. The link was sent to the address, so following it proves the mailbox: an
    account still unconfirmed (a participant invited by bulk enrolment) is confirmed when the password is chosen."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.user.email_confirmed_at is None:
            services.confirm_email(user=form.user)
        return response


def _send_confirmation(request, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    link = settings.PLATFORM_BASE_URL + reverse("confirm_email", args=[uid, token])
    body = render_to_string("registration/confirm_email.txt", {"user": user, "link": link}, request=request)
    send_mail(_("Confirm your e-mail address"), body, None, [user.email])


def _send_account_exists(request, user: User) -> None:
    """Someone signed up with the address of an active account: tell the owner, and only the owner."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "login_link": settings.PLATFORM_BASE_URL + reverse("login"),
        "reset_link": settings.PLATFORM_BASE_URL + reverse("password_reset_confirm", args=[uid, token]),
    }
    body = render_to_string("registration/account_exists.txt", context, request=request)
    send_mail(_("You already have an account"), body, None, [user.email])


def _mail_for_signup(request, outcome: services.SignupOutcome, user: User) -> None:
    """The e-mail for a sign-up or a resend, decided by the account's state; the page shown never differs."""
    if hit_rate_limit(f"lms:signup-mail:{user.email}", limit=SIGNUP_MAILS_PER_HOUR, window=3600):
        return
    if outcome in {services.SignupOutcome.NEW, services.SignupOutcome.PENDING}:
        _send_confirmation(request, user)
    elif outcome is services.SignupOutcome.ACTIVE:
        _send_account_exists(request, user)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, user = services.register(
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=request.LANGUAGE_CODE[:2],
        )
        _mail_for_signup(request, outcome, user)
        return render(request, "registration/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    """Send the confirmation link again (a new one). The answer is the same whatever the address."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = User.objects.filter(email=email).first()
        if user is not None:
            if user.is_active:
                _mail_for_signup(request, services.SignupOutcome.ACTIVE, user)
            elif services.unconfirmed_accounts().filter(pk=user.pk).exists():
                _mail_for_signup(request, services.SignupOutcome.PENDING, user)
        return render(request, "registration/signup_done.html", {"email": email})
    return render(request, "registration/resend_confirmation.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm_email(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    # Never for an account that is already active (an administrator's, say): the link only activates a sign-up.
    if (
        user is None
        or user.is_active
        or user.email_confirmed_at is not None
        or not email_confirmation_token.check_token(user, token)
    ):
        return render(request, "registration/confirm_email_invalid.html", status=400)
    # A link preview or a prefetch must not confirm anything: confirmation is a form the owner submits,
    # choosing the password there, so a password typed at sign-up by someone else never stands.
    form = ConfirmSignupForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.confirm_signup(
            user=user,
            password=form.cleaned_data["new_password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
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
    return render(request, "registration/confirm_email.html", {"confirm_user": user, "form": form})


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


@login_required
@require_http_methods(["GET", "POST"])
def confirm_email_change(request, token: str):
    """The link sent to a new log-in address: opening it shows a button; the change happens on POST."""
    new_email = services.read_email_change(token=token, user=request.user)
    if new_email is None:
        return render(request, "registration/confirm_email_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.apply_email_change(user=request.user, new_email=new_email)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your log-in e-mail address is now %(email)s.") % {"email": new_email})
        return redirect("wagtailadmin_account" if request.user.is_staff else "profile")
    return render(request, "registration/confirm_email_change.html", {"new_email": new_email})
