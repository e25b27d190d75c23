from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "kind", "created_at", "read_at", "mailed_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "user__username"]
    raw_id_fields = ["user"]
