from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail.users.views import users

from .forms import AdminUserCreationForm, AdminUserEditForm
from .personal_data import erasure_replaces_delete


class CreateView(users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class IndexView(users.IndexView):
    def get_delete_url(self, instance):
        # Wagtail's hard delete is replaced by erasure (privacy.admin_views): the listing offers "Erase" instead.
        if erasure_replaces_delete(instance):
            return None
        return super().get_delete_url(instance)


class EditView(users.EditView):
    """Only a superuser edits a superuser's account (its password or e-mail would hand the account over); erasure
    replaces Wagtail's hard delete."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        self.can_delete = self.can_delete and not erasure_replaces_delete(self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class DeleteView(users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        target = self.get_object()
        if erasure_replaces_delete(target):
            messages.info(request, _("Accounts are erased rather than deleted, so that the figures stay right."))
            return redirect("privacy_erase", user_id=target.pk)
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
