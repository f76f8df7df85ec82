from django.contrib import admin

from .models import Dump


@admin.register(Dump)
class DumpAdmin(admin.ModelAdmin):
    """Dumps are written by `manage.py export_catalogue` (cron); staff only look."""

    list_display = ["name", "created_at"]
    readonly_fields = ["name", "created_at", "files", "row_counts", "licence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
