from django.urls import path

from . import consultation_views, kpi_views, views

app_name = "appraisals"
urlpatterns = [
    path("", views.board, name="board"),
    path("projects/<int:task_id>/", views.detail, name="detail"),
    path("projects/<int:task_id>/submit/", views.submit, name="submit"),
    path("projects/<int:task_id>/pass/", views.pass_step, name="pass"),
    path("projects/<int:task_id>/return/", views.return_dossier, name="return"),
    path("projects/<int:task_id>/resubmit/", views.resubmit, name="resubmit"),
    path("projects/<int:task_id>/attach/", views.attach, name="attach"),
    path("indicators/<int:indicator_id>/", kpi_views.indicator_detail, name="indicator"),
    path(
        "indicators/<int:indicator_id>/values/",
        kpi_views.indicator_value_report,
        name="indicator_value",
    ),
    path(
        "indicator-values/<int:value_id>/evidence/",
        kpi_views.indicator_evidence,
        name="indicator_evidence",
    ),
    path("consultations/", consultation_views.consulted_units, name="consulted_units"),
    path("consultations/<int:round_id>/", consultation_views.round_detail, name="round"),
    path(
        "consultations/<int:round_id>/answer/", consultation_views.round_answer, name="round_answer"
    ),
    path(
        "consultations/<int:round_id>/remind/",
        consultation_views.round_remind,
        name="round_remind",
    ),
    path(
        "consultations/<int:round_id>/respond/",
        consultation_views.round_respond,
        name="round_respond",
    ),
]
