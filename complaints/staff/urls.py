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
    path("intake/mail/", views.intake_mail, name="intake_mail"),
    path("intake/mail/<int:pk>/", views.intake_mail_detail, name="intake_mail_detail"),
    path("oversight/", views.oversight, name="oversight"),
    path("performance/", views.performance, name="performance"),
    path("templates/", views.response_templates, name="response_templates"),
    path("templates/new/", views.response_template_edit, name="response_template_new"),
    path("templates/<int:pk>/", views.response_template_edit, name="response_template"),
    path("templates/<int:pk>/delete/", views.response_template_delete, name="response_template_delete"),
    path("privacy/", views.privacy_queue, name="privacy"),
    path("privacy/<int:pk>/<slug:decision>/", views.privacy_decide, name="privacy_decide"),
    path("complaints/<str:code>/", views.complaint_detail, name="complaint"),
    path("complaints/<str:code>/act/<slug:action>/", views.complaint_act, name="act"),
    path("complaints/<str:code>/template/<slug:action>/", views.use_template, name="use_template"),
    path("complaints/<str:code>/audit/", views.audit_page, name="audit"),
    path("complaints/<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
