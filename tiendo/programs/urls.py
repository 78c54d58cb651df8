from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
]
