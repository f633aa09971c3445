"""The project's own app config, and the admin's (with the site in config/admin_site.py)."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class ProjectConfig(AppConfig):
    """Project-wide pieces that need the app registry: the overflow-safe `in` lookup."""

    name = "config"
    verbose_name = "Project"

    def ready(self) -> None:
        from config import lookups

        lookups.register()


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on a site that refuses an unreadable selection with a clear page."""

    default_site = "config.admin_site.AdminSite"
