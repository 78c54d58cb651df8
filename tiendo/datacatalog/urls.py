from django.urls import path

from . import views

app_name = "datacatalog"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
