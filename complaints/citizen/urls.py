"""Citizen URLs (names live in the "complaints" namespace). Other apps depend on these paths."""

from django.urls import path

from . import views

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/done/<str:code>/", views.report_done, name="report_done"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_page, name="track_page"),
    path("track/<str:code>/link/<str:purpose>/", views.track_link, name="track_link"),
    path("track/<str:code>/transparency-proof.json", views.track_proof, name="track_proof"),
    path("track/<str:code>/act/<str:action>/", views.track_action, name="track_action"),
    path("track/<str:code>/my-data.zip", views.track_data, name="track_data"),
    path("complaints/", views.public_list, name="public_list"),
    path("complaints/<str:code>/", views.public_detail, name="public_detail"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_sent, name="signup_sent"),
    path("accounts/signup/confirm/", views.signup_confirm, name="signup_confirm"),
    path("my/complaints/", views.my_complaints, name="my_complaints"),
    path("my/data/", views.my_data, name="my_data"),
]
