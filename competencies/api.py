"""A read-only 1EdTech CASE 1.1 REST API (public, no authentication): any CASE consumer (OpenSALT, a Moodle plugin, a
registry) reads our frameworks from here.

    GET /ims/case/v1p1/CFDocuments                 {"CFDocuments": [CFDocument, …]}
    GET /ims/case/v1p1/CFDocuments/{id}            CFDocument
    GET /ims/case/v1p1/CFPackages/{id}             {"CFDocument": …, "CFItems": […], "CFAssociations": […],
                                                    "CFDefinitions": {…}}   (the same object as our CASE export)
    GET /ims/case/v1p1/CFItems/{id}                CFItem
    GET /ims/case/v1p1/CFAssociations/{id}         CFAssociation
    GET /ims/case/v1p1/CFItemAssociations/{id}     {"CFItem": CFItem, "CFAssociations": [every association whose
                                                    origin or destination is the item, crosswalks included]}
    GET /ims/case/v1p1/CFConcepts|CFSubjects|CFItemTypes/{id}   {"CFConcepts": [CFConcept]} (…)
    GET /ims/case/v1p1/CFLicenses|CFAssociationGroupings/{id}   CFLicense (…)

Unknown identifiers answer 404 with the specification's ``imsx_StatusInfo`` JSON. Texts are in French, or in English
with ``?language=en`` (a CASE document carries one language). Every object is built by the same code as the CASE
export (``formats.case_write.package_dict``), so what the API serves and what the export writes cannot drift apart.
"""

from __future__ import annotations

import uuid

from django.http import JsonResponse
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from .exporting import framework_data
from .formats.case_fields import find_definition
from .formats.case_write import package_dict
from .models import CompetencyItem, Framework, ItemAssociation, PendingAssociation, pick_language

MAX_AGE = 60


def _error(status: int, description: str, minor: str) -> JsonResponse:
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [{"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}]
        },
    }
    return JsonResponse(body, status=status)


def _unknown(identifier: str) -> JsonResponse:
    return _error(404, f"Unknown object: {identifier}", "unknownobject")


def _ok(body: dict, framework: Framework | None = None) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only
    if framework is not None:
        response["Last-Modified"] = http_date(framework.last_change_date_time.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _language(request) -> str:
    return pick_language(request.GET.get("language") or "fr")


def _package(framework: Framework, request) -> dict:
    return package_dict(framework_data(framework=framework), language=_language(request))


def _framework_of_association(identifier: uuid.UUID) -> Framework | None:
    """The framework whose package holds this association: a stored link, a pending one, or a tree link."""
    for model in (ItemAssociation, PendingAssociation):
        found = model.objects.filter(identifier=identifier).select_related("framework").first()
        if found is not None:
            return found.framework
    text = str(identifier)
    item = CompetencyItem.objects.filter(extra__case_link=text).select_related("framework").first()
    if item is not None:
        return item.framework
    # A tree link we mint: uuid5(item identifier, "isChildOf"). One query over identifiers, no write.
    for pk, item_identifier in CompetencyItem.objects.values_list("pk", "identifier").iterator(chunk_size=2000):
        if uuid.uuid5(item_identifier, "isChildOf") == identifier:
            return CompetencyItem.objects.select_related("framework").get(pk=pk).framework
    return None


@require_GET
def documents(request):
    frameworks = list(Framework.objects.order_by("code"))
    docs = [_package_document(framework, request) for framework in frameworks]
    response = _ok({"CFDocuments": docs})
    response["X-Total-Count"] = str(len(docs))
    return response


def _package_document(framework: Framework, request) -> dict:
    # The document alone needs no item: an empty FrameworkData shell built by the same writer.
    data = framework_data(framework=framework, with_items=False)
    return package_dict(data, language=_language(request))["CFDocument"]


@require_GET
def document(request, identifier):
    key = _uuid(identifier)
    framework = Framework.objects.filter(identifier=key).first() if key else None
    if framework is None:
        return _unknown(identifier)
    return _ok(_package_document(framework, request), framework)


@require_GET
def package(request, identifier):
    key = _uuid(identifier)
    framework = Framework.objects.filter(identifier=key).first() if key else None
    if framework is None:
        return _unknown(identifier)
    return _ok(_package(framework, request), framework)


@require_GET
def item(request, identifier):
    key = _uuid(identifier)
    found = CompetencyItem.objects.filter(identifier=key).select_related("framework").first() if key else None
    if found is None:
        return _unknown(identifier)
    entry = next(i for i in _package(found.framework, request)["CFItems"] if i["identifier"] == str(key))
    return _ok(entry, found.framework)


@require_GET
def association(request, identifier):
    key = _uuid(identifier)
    framework = _framework_of_association(key) if key else None
    if framework is None:
        return _unknown(identifier)
    entry = next(a for a in _package(framework, request)["CFAssociations"] if a["identifier"] == str(key))
    return _ok(entry, framework)


@require_GET
def item_associations(request, identifier):
    key = _uuid(identifier)
    found = CompetencyItem.objects.filter(identifier=key).select_related("framework").first() if key else None
    if found is None:
        return _unknown(identifier)
    text = str(key)
    own = _package(found.framework, request)
    entry = next(i for i in own["CFItems"] if i["identifier"] == text)

    def touches(assoc):
        return text in (assoc["originNodeURI"]["identifier"], assoc["destinationNodeURI"]["identifier"])

    links = [a for a in own["CFAssociations"] if touches(a)]
    others = Framework.objects.filter(associations__destination=found).exclude(pk=found.framework_id).distinct()
    for other in others.order_by("code"):
        links += [a for a in _package(other, request)["CFAssociations"] if touches(a)]
    response = _ok({"CFItem": entry, "CFAssociations": links}, found.framework)
    response["X-Total-Count"] = str(len(links))
    return response


def _definition(kind: str, wrapped: bool):
    @require_GET
    def view(request, identifier):
        for framework in Framework.objects.filter(extra__has_key="CFDefinitions").order_by("code"):
            found = find_definition(framework.extra.get("CFDefinitions") or {}, identifier)
            if found is not None and found[0] == kind:
                return _ok({kind: [found[1]]} if wrapped else found[1], framework)
        return _unknown(identifier)

    return view


app_name = "case_api"
urlpatterns = [
    path("CFDocuments", documents, name="documents"),
    path("CFDocuments/<str:identifier>", document, name="document"),
    path("CFPackages/<str:identifier>", package, name="package"),
    path("CFItems/<str:identifier>", item, name="item"),
    path("CFAssociations/<str:identifier>", association, name="association"),
    path("CFItemAssociations/<str:identifier>", item_associations, name="item_associations"),
    path("CFConcepts/<str:identifier>", _definition("CFConcepts", True), name="concept"),
    path("CFSubjects/<str:identifier>", _definition("CFSubjects", True), name="subject"),
    path("CFItemTypes/<str:identifier>", _definition("CFItemTypes", True), name="item_type"),
    path("CFLicenses/<str:identifier>", _definition("CFLicenses", False), name="license"),
    path("CFAssociationGroupings/<str:identifier>", _definition("CFAssociationGroupings", False), name="grouping"),
]
