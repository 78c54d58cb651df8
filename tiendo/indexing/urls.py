from django.urls import path

from . import views

app_name = "indexing"
urlpatterns = [
    path("", views.home, name="home"),
    path("frameworks/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:framework_id>/export.<str:fmt>",
        views.framework_export,
        name="framework_export",
    ),
    path("frameworks/<int:framework_id>/periods/new/", views.period_open, name="period_open"),
    path("periods/<int:period_id>/", views.period_detail, name="period_detail"),
    path("periods/<int:period_id>/action/", views.period_action, name="period_action"),
    path("periods/<int:period_id>/results/", views.results, name="results"),
    path("periods/<int:period_id>/compare/", views.compare, name="compare"),
    path("periods/<int:period_id>/emulation/", views.emulation, name="emulation"),
    path("periods/<int:period_id>/units/<int:unit_id>/", views.unit_result, name="unit_result"),
    path(
        "periods/<int:period_id>/units/<int:unit_id>/explain/<str:code>/",
        views.explain,
        name="explain",
    ),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("evidence/<int:value_id>/", views.evidence_download, name="evidence_download"),
    path(
        "assessments/<int:assessment_id>/action/",
        views.assessment_action,
        name="assessment_action",
    ),
]
