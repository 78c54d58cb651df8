from django.contrib import admin

from .models import DeadlineExtension, HoldChange, Program, ProgressUpdate, Task, TaskGroup


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "owner_unit",
        "decision_number",
        "start_year",
        "end_year",
    ]
    search_fields = ["code", "name", "decision_number"]


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):
    list_display = ["program", "number", "name"]
    list_filter = ["program"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["program", "number", "title", "kind", "lead_unit", "deadline", "completed_on"]
    list_filter = ["program", "kind"]
    search_fields = ["title", "number"]
    raw_id_fields = ["lead_unit", "assignee", "accountable_leader", "group"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History records: viewable, never edited or deleted."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(ProgressUpdate, ReadOnlyAdmin)
admin.site.register(DeadlineExtension, ReadOnlyAdmin)
admin.site.register(HoldChange, ReadOnlyAdmin)
