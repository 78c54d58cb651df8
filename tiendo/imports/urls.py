from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("programs/<int:program_id>/", views.upload, name="upload"),
    path("programs/<int:program_id>/export.xlsx", views.export, name="export"),
    path("template.xlsx", views.template, name="template"),
    path("batches/<int:batch_id>/mapping/", views.mapping, name="mapping"),
    path("batches/<int:batch_id>/preview/", views.preview, name="preview"),
    path("batches/<int:batch_id>/resolve/", views.resolve, name="resolve"),
    path("batches/<int:batch_id>/confirm/", views.confirm, name="confirm"),
]
