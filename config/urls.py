from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from tiendo.api.api import api

urlpatterns = [
    path("", include("tiendo.core.urls")),
    path("", include("tiendo.accounts.urls")),
    path("", include("tiendo.programs.urls")),
    path("", include("tiendo.orgs.urls")),
    path("dashboards/", include("tiendo.dashboards.urls")),
    path("reports/", include("tiendo.reporting.urls")),
    path("calendars/", include("tiendo.calendars.urls")),
    path("notifications/", include("tiendo.reminders.urls")),
    path("index/", include("tiendo.indexing.urls")),
    path("imports/", include("tiendo.imports.urls")),
    path("appraisals/", include("tiendo.appraisals.urls")),
    path("data/", include("tiendo.datacatalog.urls")),
    path("audit/", include("tiendo.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
