from django.core.exceptions import PermissionDenied

from wagtail.users.views.users import CreateView as WagtailCreateView
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import AdminUserCreationForm, AdminUserEditForm


class CreateView(WagtailCreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class EditView(WagtailEditView):
    """Only a superuser edits a superuser's account (its password or e-mail would hand the account over)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class UserViewSet(WagtailUserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
