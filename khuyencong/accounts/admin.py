from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "commune", "establishment", "is_active"]
    list_filter = ["role", "province", "is_active"]
    autocomplete_fields = ["commune", "establishment"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Role and place"),
            {"fields": ["role", "region", "province", "commune", "establishment", "phone", "organisation"]},
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and place"), {"fields": ["role", "region", "province", "commune", "establishment"]}),
    )
