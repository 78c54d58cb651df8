from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("programs/<int:program_id>/", views.program_dashboard, name="program"),
    path("programs/<int:program_id>/export.xlsx", views.program_export, name="program_export"),
    path("units/", views.unit_dashboard, name="units_all"),
    path("units/<int:unit_id>/", views.unit_dashboard, name="unit"),
    path("units/export.xlsx", views.unit_export, name="units_all_export"),
    path("units/<int:unit_id>/export.xlsx", views.unit_export, name="unit_export"),
    path("list/", views.task_list, name="task_list"),
    path("override/", views.override, name="override"),
]
