from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/deadline-preview/", views.deadline_preview, name="deadline_preview"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/progress/", views.progress_submit, name="progress_submit"),
    path("tasks/<int:task_id>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:task_id>/extend/", views.task_extend, name="task_extend"),
    path("tasks/<int:task_id>/hold/", views.task_hold, name="task_hold"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/pick/", views.program_pick, name="program_pick"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path("programs/<int:program_id>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:program_id>/groups/new/", views.group_create, name="group_create"),
    path("programs/<int:program_id>/tasks/new/", views.task_create, name="task_create"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
]
