"""Every model of the project is reachable in the admin for system administrators.

Models an app did not register itself (mostly rows shown inline elsewhere) get a read-only view:
changes go through the apps' own admins and services, which keep the audit and the locks.
"""

from django.apps import apps
from django.contrib import admin


class AdminSite(admin.AdminSite):
    """The admin site: only those `accounts.permissions.may_use_admin_site` names (system administrators).

    Django's own rule (active + staff flag, then model permissions) would let a province officer given
    the staff flag and a view permission read every province's records, against the permission matrix.
    """

    def has_permission(self, request):
        from khuyencong.accounts.permissions import may_use_admin_site

        return may_use_admin_site(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register_remaining_models(site=admin.site) -> list[str]:
    added = []
    for model in apps.get_models():
        # every model of the project's own apps (a new app needs no entry here)
        if model._meta.app_config.name.startswith("khuyencong.") and model not in site._registry:
            site.register(model, ReadOnlyAdmin)
            added.append(model._meta.label)
    return added
