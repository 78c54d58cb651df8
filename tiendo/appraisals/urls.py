from django.urls import path

from . import views

app_name = "appraisals"
urlpatterns = [
    path("", views.board, name="board"),
    path("projects/<int:task_id>/", views.detail, name="detail"),
    path("projects/<int:task_id>/submit/", views.submit, name="submit"),
    path("projects/<int:task_id>/pass/", views.pass_step, name="pass"),
    path("projects/<int:task_id>/return/", views.return_dossier, name="return"),
    path("projects/<int:task_id>/resubmit/", views.resubmit, name="resubmit"),
    path("projects/<int:task_id>/attach/", views.attach, name="attach"),
]
