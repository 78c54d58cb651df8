from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("programs/<int:program_id>/", views.program_reports, name="program"),
    path("programs/<int:program_id>/schedules/", views.schedule_create, name="schedule_create"),
    path("schedules/<int:schedule_id>/periods/", views.period_open, name="period_open"),
    path("periods/<int:period_id>/", views.period_detail, name="period"),
    path("periods/<int:period_id>/remind/", views.remind, name="remind"),
    path("periods/<int:period_id>/consolidate/", views.consolidate, name="consolidate"),
    path(
        "periods/<int:period_id>/consolidation/",
        views.consolidation_status,
        name="consolidation_status",
    ),
    path("unit-reports/<int:report_id>/", views.report_detail, name="report"),
    path("unit-reports/<int:report_id>/save/", views.report_save, name="report_save"),
    path("unit-reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("consolidated/<int:pk>/files/", views.files_request, name="files_request"),
    path("consolidated/<int:pk>/status/", views.files_status, name="files_status"),
    path("consolidated/<int:pk>/<str:fmt>/", views.download, name="download"),
]
