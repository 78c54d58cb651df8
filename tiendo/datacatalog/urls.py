from django.urls import include, path

from . import console_views, product_views, views

app_name = "datacatalog"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("warehouse/", include(console_views.urlpatterns)),
    path("new/", views.dataset_create, name="dataset_create"),
    path(
        "tasks/<int:task_id>/datasets/",
        product_views.task_dataset_link,
        name="task_dataset_link",
    ),
    path(
        "tasks/<int:task_id>/datasets/<slug:code>/unlink/",
        product_views.task_dataset_unlink,
        name="task_dataset_unlink",
    ),
    path("<slug:code>/", views.dataset_detail, name="dataset"),
    path("<slug:code>/edit/", views.dataset_edit, name="dataset_edit"),
    path("<slug:code>/fields/", views.dataset_schema, name="dataset_schema"),
    path("<slug:code>/upload/", views.version_upload, name="version_upload"),
    path("<slug:code>/rollback/", views.version_rollback, name="version_rollback"),
    path("<slug:code>/publish/", views.version_publish, name="version_publish"),
    path("<slug:code>/access/", views.access_grant, name="access_grant"),
    path("<slug:code>/access/<int:unit_id>/revoke/", views.access_revoke, name="access_revoke"),
    path(
        "<slug:code>/v<int:number>/quality/<int:measure_id>/",
        views.measure_rows,
        name="measure_rows",
    ),
]
