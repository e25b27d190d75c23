from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.module_loading import module_has_submodule
from django.views.static import serve

from khuyencong.core.admin import register_remaining_models

register_remaining_models()  # before admin.site.urls builds its URL patterns

urlpatterns = [
    path("", include("khuyencong.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("khuyencong.accounts.urls")),
    path("registry/", include("khuyencong.registry.urls")),
    path("places/", include("khuyencong.geo.urls")),
    path("notifications/", include("khuyencong.notifications.urls")),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin, the API docs).
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
]

# Programme targets and progress: pages under /programme/, figures computed by reports (nobody imports reports).
urlpatterns.append(path("programme/targets/", include("khuyencong.reports.target_urls")))

# Areas mount themselves once their app has a urls module (each owns its prefix).
OPTIONAL_AREAS = [
    ("programme/", "programme"),
    ("national/", "national"),
    ("selection/", "selection"),
    ("outreach/", "outreach"),
    ("reports/", "reports"),
    ("data/", "interchange"),
    ("help/", "help"),
    ("", "api"),
]
# The public pages come first: most requests are theirs (anonymous visitors, cached pages) and every pattern tried
# before theirs was tried on each of them. Their prefixes (catalogue/, verify/, documents/) are no other area's.
PUBLIC_AREAS = [
    ("", "documents"),  # before the catalogue: /verify/pdf/ is not a certificate number
    ("", "catalogue"),
]
public = []
for areas, into in ((OPTIONAL_AREAS, urlpatterns), (PUBLIC_AREAS, public)):
    for prefix, app in areas:
        package = import_module(f"khuyencong.{app}")
        if module_has_submodule(package, "urls"):
            into.append(path(prefix, include(f"khuyencong.{app}.urls")))
urlpatterns[:0] = public

if settings.DEBUG or settings.SERVE_MEDIA:
    # Public uploads (product photos) from MEDIA_ROOT; in front of several servers nginx or object storage
    # serves them instead (SERVE_MEDIA=0). Private documents are never here (core.uploads.PrivateStorage).
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        )
    ]
