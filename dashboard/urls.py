from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<slug:code>/", views.unit_page, name="unit"),
    path("api/summary.json", views.summary_json, name="summary_json"),
    path("api/weekly.json", views.weekly_json, name="weekly_json"),
    path("export/complaints.csv", views.export_complaints, name="export_complaints"),
    path("export/summary.csv", views.export_summary, name="export_summary"),
]
