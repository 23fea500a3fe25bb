from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views as views
from . import crosswalk_views
from .choosers import competency_chooser_viewset

admin_urls = (
    [
        path("", views.index, name="index"),
        path("add/", views.framework_add, name="framework_add"),
        path("import/", views.import_upload, name="import"),
        path("import/confirm/", views.import_confirm, name="import_confirm"),
        path("crosswalks/", crosswalk_views.crosswalk_editor, name="crosswalks"),
        path("crosswalks/<int:pk>/delete/", crosswalk_views.crosswalk_delete, name="crosswalk_delete"),
        path("<int:pk>/", views.tree, name="tree"),
        path("<int:pk>/edit/", views.framework_edit, name="framework_edit"),
        path("<int:pk>/add-item/", views.item_add, name="item_add"),
        path("<int:pk>/export/<str:format_name>/", views.export, name="export"),
        path("items/<int:pk>/", views.item_edit, name="item_edit"),
        path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
        path("items/<int:pk>/publish/", views.item_publish, name="item_publish"),
        path("items/<int:pk>/<str:direction>/", views.item_reorder, name="item_reorder"),
    ],
    "competencies_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("competences/", include(admin_urls, namespace="competencies_admin"))]


class FrameworksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("competencies.view_framework")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return FrameworksMenuItem(
        _("Competency frameworks"), reverse("competencies_admin:index"), icon_name="list-ul", order=250
    )


@hooks.register("register_admin_viewset")
def register_competency_chooser():
    return competency_chooser_viewset
