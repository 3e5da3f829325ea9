"""Staff URLs, mounted at /staff/ by config.urls."""

from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("triage/", views.triage_queue, name="triage"),
    path("triage/summaries/", views.summary_queue, name="summaries"),
    path("triage/route/", views.triage_bulk, name="triage_bulk"),
    path("inbox/", views.inbox, name="inbox"),
    path("file/", views.file_on_behalf, name="file"),
    path("oversight/", views.oversight, name="oversight"),
    path("performance/", views.performance, name="performance"),
    path("complaints/<str:code>/", views.complaint_detail, name="complaint"),
    path("complaints/<str:code>/act/<slug:action>/", views.complaint_act, name="act"),
    path("complaints/<str:code>/audit/", views.audit_page, name="audit"),
    path("complaints/<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
