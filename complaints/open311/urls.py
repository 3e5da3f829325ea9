"""/open311/v2/: each resource in both formats, by extension, as the specification names them.
Path values may contain any character (a client may send an encoded slash), so they match
anything up to the format extension and the view answers 404 in the Open311 shape."""

from django.urls import path, re_path

from . import views

FMT = r"\.(?P<fmt>json|xml)$"
ANY = r"[\s\S]+"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.service_list, name="open311-services"),
    re_path(rf"^services/(?P<service_code>{ANY}){FMT}", views.service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, views.requests, name="open311-requests"),
    re_path(rf"^requests/(?P<service_request_id>{ANY}){FMT}", views.request_detail, name="open311-request"),
    re_path(rf"^tokens/(?P<token>{ANY}){FMT}", views.token, name="open311-token"),
    path("openapi.json", views.openapi_document, name="open311-openapi"),
]
