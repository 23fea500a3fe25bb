"""Which tables hold personal data about a learner: found from the models themselves, so none slips through.

A model is personal data when it links to the user (a foreign key or one-to-one), or links to such a model
(a quiz response through its attempt, progress through its enrolment). `docs/data-protection.md` must list every one
(a test checks it), and each of the project's own belongs to its app's declaration in `lms.personal_data` (another
test: tests/privacy/test_registry.py).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import LockableMixin, Page, Revision


@dataclass(frozen=True)
class PersonalModel:
    model: type[models.Model]
    path: str  # lookup from the model to the user, e.g. "enrolment__user"

    @property
    def label(self) -> str:
        return self.model._meta.label


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def _links(model, target) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is target and not f.auto_created
    ]


def _is_content(model) -> bool:
    """Pages, revisions, lockable snippets and media: their owner or locker is an author's metadata, not a learner's
    record to follow further."""
    return issubclass(model, Page | Revision | LockableMixin | AbstractImage | AbstractDocument)


def personal_models() -> list[PersonalModel]:
    user_model = _user_model()
    direct: list[PersonalModel] = []
    for model in apps.get_models():
        if model is user_model or model._meta.proxy:
            continue
        if issubclass(model, Page) and model is not Page:
            continue  # the author of a page is recorded once, on wagtailcore.Page
        for name in _links(model, user_model):
            direct.append(PersonalModel(model, name))
    second: list[PersonalModel] = []
    seen = {p.model for p in direct} | {user_model}
    for model in apps.get_models():
        if model in seen or model._meta.proxy:
            continue
        for parent in direct:
            if _is_content(parent.model):
                continue
            for name in _links(model, parent.model):
                second.append(PersonalModel(model, f"{name}__{parent.path}"))
    return [PersonalModel(user_model, "pk"), *direct, *second]
