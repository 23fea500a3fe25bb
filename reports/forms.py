"""The reports' filters as a form: from the screens' query string, a background job's stored filters or the command
line, checked against the scope of the person asking."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.models import TrainingSession
from courses.models import CoursePage
from lms.models import Academie, Establishment
from lms.scoping import Scope

from .selectors import STATUS_LABELS, FilterError, ReportFilters, competency_ref, find_competency


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(name)s: “%(value)s” is not a valid identifier.") % {"name": name, "value": value}
        ) from None


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(name)s: “%(value)s” is not a date (expected YYYY-MM-DD).") % {"name": name, "value": value}
        ) from None


class ReportFilterForm(forms.Form):
    """Every filter is optional; the values are taken as given (no stripping) and checked in this order, the first
    error being the one reported. Anything naming an académie, region, establishment or session outside the scope is
    an error: a forged parameter never widens what someone sees (and the queries are filtered by the scope anyway).
    """

    # Plain fields: the conversions below give the reports' own messages ("from" and "to" are added in __init__).
    academie = forms.Field(required=False)
    region = forms.Field(required=False)
    establishment = forms.Field(required=False)
    course = forms.Field(required=False)
    status = forms.Field(required=False)
    session = forms.Field(required=False)
    competency = forms.Field(required=False)
    field_order = ["academie", "region", "establishment", "course", "status", "from", "to", "session", "competency"]

    def __init__(self, data: Mapping[str, str], *, scope: Scope):
        super().__init__(data)
        self.scope = scope
        self.fields["from"] = forms.Field(required=False)
        self.fields["to"] = forms.Field(required=False)
        self.order_fields(self.field_order)

    def clean_academie(self) -> int | None:
        if value := self.cleaned_data["academie"]:
            academie = _int(value, "academie")
            if not self.scope.allows_academie(academie):
                raise ValidationError(_("Unknown académie."))
            return academie
        return None

    def clean_region(self) -> int | None:
        if value := self.cleaned_data["region"]:
            region = _int(value, "region")
            if not self.scope.filter(Academie.objects.filter(region_id=region), academie_field="pk").exists():
                raise ValidationError(_("Unknown academic region."))
            return region
        return None

    def clean_establishment(self) -> int | None:
        if value := self.cleaned_data["establishment"]:
            establishment = _int(value, "establishment")
            if not self.scope.filter(Establishment.objects.filter(pk=establishment)).exists():
                raise ValidationError(_("Unknown establishment."))
            return establishment
        return None

    def clean_course(self) -> uuid.UUID | None:
        if value := self.cleaned_data["course"]:
            try:
                course = uuid.UUID(str(value))
            except ValueError:
                raise ValidationError(_("Unknown course.")) from None
            if not CoursePage.objects.filter(translation_key=course).exists():
                raise ValidationError(_("Unknown course."))
            return course
        return None

    def clean_status(self) -> str | None:
        if value := self.cleaned_data["status"]:
            if value not in STATUS_LABELS:
                raise ValidationError(_("Unknown status."))
            return value
        return None

    def clean_from(self) -> dt.date | None:
        value = self.cleaned_data["from"]
        return _date(value, "from") if value else None

    def clean_to(self) -> dt.date | None:
        value = self.cleaned_data["to"]
        date_to = _date(value, "to") if value else None
        date_from = self.cleaned_data.get("from")
        if date_from and date_to and date_from > date_to:
            raise ValidationError(_("The start date is after the end date."))
        return date_to

    def clean_session(self) -> int | None:
        if value := self.cleaned_data["session"]:
            session = _int(value, "session")
            if not self.scope.filter(TrainingSession.objects.filter(pk=session)).exists():
                raise ValidationError(_("Unknown training session."))
            return session
        return None

    def clean_competency(self):
        if value := self.cleaned_data["competency"]:
            try:
                return find_competency(str(value))
            except FilterError as exc:
                raise ValidationError(str(exc)) from None
        return None

    @property
    def first_error(self) -> str:
        """The message of the first filter found wrong ("" when the form is valid)."""
        return next((str(errors[0]) for errors in self.errors.values()), "")

    @property
    def filters(self) -> ReportFilters:
        """The valid filters (call ``is_valid()`` first)."""
        data = self.cleaned_data
        item = data["competency"]
        return ReportFilters(
            academie=data["academie"],
            region=data["region"],
            course=data["course"],
            establishment=data["establishment"],
            status=data["status"],
            date_from=data["from"],
            date_to=data["to"],
            competency=item.pk if item else None,
            competency_ref=competency_ref(item.framework.code, item.code or str(item.identifier)) if item else "",
            session=data["session"],
        )


def parse_filters(params: Mapping[str, str], *, scope: Scope) -> ReportFilters:
    """The filters in ``params`` (a query string, a job's stored filters), or ``FilterError`` with the first error."""
    form = ReportFilterForm(params, scope=scope)
    if not form.is_valid():
        raise FilterError(form.first_error)
    return form.filters
