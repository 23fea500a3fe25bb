from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/<str:token>/", views.data_export, name="data_export"),
    path("supprimer-mon-compte/", views.delete_account, name="delete_account"),
    path("confirmer-mot-de-passe/", views.confirm_password, name="confirm_password"),
]
