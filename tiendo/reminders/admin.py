from django.contrib import admin

from .models import Notification, NotificationPreference, ReminderRun, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "enabled",
        "days_before",
        "on_due_day",
        "overdue_every",
        "report_period",
        "report_due_days",
    )
    raw_id_fields = ("program",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the record of what was sent must not be edited."""

    list_display = (
        "created_at",
        "kind",
        "level",
        "task",
        "recipient",
        "sender",
        "read_at",
        "emailed_at",
    )
    list_filter = ("kind", "level")
    raw_id_fields = ("task", "recipient", "sender")
    search_fields = ("message",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_mode")
    raw_id_fields = ("user",)


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    list_display = ("today", "started_at", "finished_at", "created", "emailed")
