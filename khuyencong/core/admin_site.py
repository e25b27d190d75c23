"""django.contrib.admin with the project's site (core.admin.AdminSite: who may use it, from accounts)."""

from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    default_site = "khuyencong.core.admin.AdminSite"
