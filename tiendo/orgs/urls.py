from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [path("units/pick/", views.unit_pick, name="unit_pick")]
