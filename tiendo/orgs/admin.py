from django.contrib import admin

from .models import Unit, UnitChange


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-mostly: create, move and merge units through the services so paths stay right."""

    list_display = ["code", "name", "kind", "parent", "head", "closed_on"]
    list_filter = ["kind", "closed_on"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["path", "depth", "parent", "merged_into", "closed_on"]
    autocomplete_fields = ["head"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "effective_on", "target", "recorded_by", "recorded_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
