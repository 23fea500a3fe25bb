from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "privacy"
urlpatterns = [
    path(_("my-data/"), views.my_data, name="my_data"),
    path(_("my-data/<str:token>/"), views.data_export, name="data_export"),
    path(_("delete-my-account/"), views.delete_account, name="delete_account"),
    path(_("confirm-password/"), views.confirm_password, name="confirm_password"),
]
