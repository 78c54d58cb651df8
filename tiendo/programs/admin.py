from django.contrib import admin

from .models import DeadlineExtension, HoldChange, Program, ProgressUpdate, Task, TaskGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, edited or deleted here.

    Programs, groups and tasks change only through ``services.py``: the services check the five
    clears and versions, write the audit trail and keep the dashboards' summary tables exact,
    none of which a direct admin edit would do. History records are never edited at all.
    """

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
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
class TaskGroupAdmin(ReadOnlyAdmin):
    list_display = ["program", "number", "name"]
    list_filter = ["program"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["program", "number", "title", "kind", "lead_unit", "deadline", "completed_on"]
    list_filter = ["program", "kind"]
    search_fields = ["title", "number"]
    raw_id_fields = ["lead_unit", "assignee", "accountable_leader", "group"]


admin.site.register(ProgressUpdate, ReadOnlyAdmin)
admin.site.register(DeadlineExtension, ReadOnlyAdmin)
admin.site.register(HoldChange, ReadOnlyAdmin)
