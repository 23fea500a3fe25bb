"""The question bank's admin views, narrowed per question by `assessments.permissions.QuestionPermissionPolicy`.

Wagtail's generic snippet views check model-level permissions only; every view that acts on one question goes
through `guard`, which refuses (403) an action the policy does not allow on that question, and the listing, the
chooser and the edit view's actions (publish, lock, unlock, delete) show only what is allowed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from . import permissions as perms

# The question-level action each URL of the viewset needs (anything else acting on one question needs "view").
URL_ACTIONS = {
    "edit": perms.CHANGE,
    "revisions_revert": perms.CHANGE,
    "delete": perms.DELETE,
    "lock": perms.LOCK,
    "unlock": perms.UNLOCK,
    "unpublish": perms.PUBLISH,
    "revisions_unschedule": perms.PUBLISH,
}


def guard(view, *, model, action: str):
    """Wrap a view taking the question's `pk`: 403 unless the policy allows `action` on that question."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        instance = get_object_or_404(model, pk=unquote(str(kwargs["pk"])))
        policy = policy_registry.get_by_type(model)
        allowed = policy.user_has_permission_for_instance(request.user, action, instance)
        # A reviewer of the question's current workflow task may open it (Wagtail's own rule for workflows).
        if not allowed and action == perms.CHANGE and getattr(instance, "current_workflow_task", None):
            allowed = instance.current_workflow_task.user_can_access_editor(instance, request.user)
        if not allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class InstanceActionsMixin:
    """Edit view: publish, lock, unlock and delete shown and accepted only where the policy allows them."""

    def _instance_allows(self, permission: str) -> bool:
        instance = getattr(self, "live_object", None) or getattr(self, "object", None)
        if instance is None or instance.pk is None or permission not in perms.ALL_ACTIONS:
            return True
        return self.permission_policy.user_has_permission_for_instance(self.request.user, permission, instance)

    def user_has_permission(self, permission):
        return self._instance_allows(permission) and super().user_has_permission(permission)

    def get_available_actions(self):
        actions = super().get_available_actions()
        if "publish" in actions and not self._instance_allows(perms.PUBLISH):
            actions = [a for a in actions if a != "publish"]
        return actions

    @property
    def can_delete(self):
        return self._instance_allows(perms.DELETE) and super().can_delete


class QuestionIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(perms.visible_to(self.request.user))


class QuestionCreateView(snippet_views.CreateView):
    """A new question belongs to its author's académie (a coordinator) or is national (a national editor)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.owner_for_new_question(request.user)[1]:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        self.form.instance.owner_academie_id = perms.owner_for_new_question(self.request.user)[0]
        return super().save_instance()


class QuestionCopyView(snippet_views.CopyView):
    """Shows a prefilled form that posts to the add view (Wagtail's own template does so). A POST here would save
    into the original question (the form's instance), so it is refused: copying never changes the original."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.owner_for_new_question(request.user)[1]:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        self.form.instance.owner_academie_id = perms.owner_for_new_question(self.request.user)[0]
        return super().save_instance()


class QuestionEditView(InstanceActionsMixin, snippet_views.EditView):
    pass


class QuestionChooseView(snippet_chooser.ChooseView):
    def get_object_list(self):
        return super().get_object_list().filter(perms.visible_to(self.request.user))


class QuestionChooseResultsView(snippet_chooser.ChooseResultsView):
    def get_object_list(self):
        return super().get_object_list().filter(perms.visible_to(self.request.user))


class QuestionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView


class TrustedSnippetViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose per-object views all go through the model's permission policy."""

    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    copy_view_class = QuestionCopyView
    edit_view_class = QuestionEditView
    chooser_viewset_class = QuestionChooserViewSet
    inspect_view_enabled = True

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "<" in str(pattern.pattern) and "pk>" in str(pattern.pattern):
                action = URL_ACTIONS.get(pattern.name, perms.VIEW)
                pattern.callback = guard(pattern.callback, model=self.model, action=action)
        return patterns
