from importlib import import_module

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from khuyencong.core.admin import register_remaining_models

register_remaining_models()  # before admin.site.urls builds its URL patterns

urlpatterns = [
    path("", include("khuyencong.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("khuyencong.accounts.urls")),
    path("registry/", include("khuyencong.registry.urls")),
    path("places/", include("khuyencong.geo.urls")),
]

# Areas mount themselves once their app has a urls module (each owns its prefix).
OPTIONAL_AREAS = [
    ("programme/", "programme"),
    ("selection/", "selection"),
    ("outreach/", "outreach"),
    ("reports/", "reports"),
    ("data/", "interchange"),
    ("", "catalogue"),
    ("", "api"),
]
for prefix, app in OPTIONAL_AREAS:
    package = import_module(f"khuyencong.{app}")
    if module_has_submodule(package, "urls"):
        urlpatterns.append(path(prefix, include(f"khuyencong.{app}.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
