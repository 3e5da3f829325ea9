"""/transparency/: the append-only list of signed roots, as a page and as JSON. Only hashes,
sizes, times and signatures: nothing about any complaint."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from ..models import TransparencyRoot
from . import anchor


def roots_page(request):
    roots = TransparencyRoot.objects.order_by("-number").defer("leaves")
    page = Paginator(roots, 50).get_page(request.GET.get("page"))
    return render(request, "complaints/transparency.html", {
        "page": page, "public_key": anchor.configured_public_key()})


# The JSON is the same for everyone (the page is not: its header shows who is signed in).
@cache_control(public=True, max_age=60)
def roots_json(request):
    response = JsonResponse(anchor.published_json())
    response["Access-Control-Allow-Origin"] = "*"
    return response
