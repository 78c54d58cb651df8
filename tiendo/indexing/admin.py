"""Read-only admin views of the index: changes go through the services (history, rights)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Assessment, Framework, FrameworkNode, IndicatorValue, Period, Result


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "name", "year"]


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(ReadOnlyAdmin):
    list_display = ["framework", "code", "name", "is_group", "max_points", "method", "source"]
    list_filter = ["framework"]


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "framework", "state", "starts_on", "ends_on"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "state", "submitted_at", "verified_at"]
    list_filter = ["period", "state"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "node", "value", "kind", "entered_by", "entered_at"]
    list_filter = ["kind"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "node", "score", "rank"]
