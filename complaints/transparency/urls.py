from django.urls import path

from . import views

urlpatterns = [
    path("transparency/", views.roots_page, name="transparency"),
    path("transparency/roots.json", views.roots_json, name="transparency_json"),
]
