"""Early warning and systemic issues, mounted at /staff/systemic/ by config.urls."""

from django.urls import path

from . import views

app_name = "systemic"
urlpatterns = [
    path("", views.warnings_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/dismiss/", views.warning_dismiss, name="dismiss"),
    path("warnings/<int:pk>/issue/", views.warning_open_issue, name="open_issue"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/act/<slug:action>/", views.issue_act, name="act"),
]
