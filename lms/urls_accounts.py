from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import sso_views, views
from .sso_views import local_accounts_only as local

urlpatterns = [
    path(_("login/"), sso_views.LoginView.as_view(), name="login"),
    path(_("login/<slug:provider>/"), sso_views.sso_start, name="sso_start"),
    path(_("logout/"), sso_views.LogoutView.as_view(), name="logout"),
    path(_("signup/"), local(views.signup), name="signup"),
    path(_("signup/resend/"), local(views.resend_confirmation), name="resend_confirmation"),
    path(_("confirm/<uidb64>/<token>/"), views.confirm_email, name="confirm_email"),
    path(_("address/confirm/<str:token>/"), views.confirm_email_change, name="confirm_email_change"),
    path(_("profile/"), views.profile, name="profile"),
    path(_("password/"), local(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(_("password/done/"), local(auth_views.PasswordChangeDoneView.as_view()), name="password_change_done"),
    path(_("password/forgotten/"), local(views.PasswordResetView.as_view()), name="password_reset"),
    path(_("password/forgotten/sent/"), local(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path(
        _("password/new/<uidb64>/<token>/"),
        local(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        _("password/new/done/"),
        local(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
