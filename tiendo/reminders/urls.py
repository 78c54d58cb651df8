from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("tasks/<int:task_id>/urge/", views.task_urge, name="urge"),
    path("programs/<int:program_id>/", views.program_settings, name="program_settings"),
]
