"""The open API (/api/v1/): thin over each app's services and selectors, with the same scoping as the UI."""

from importlib import import_module

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from .auth import TokenAuth
from .docs import OfflineSwagger

api = NinjaAPI(
    title="Khuyến công API",
    version="1",
    description=(
        "Places, establishments, products, selection rounds, results, certificates, projects and reports. "
        "Authenticate with `Authorization: Bearer <token>` (create one under /api/tokens/); the catalogue "
        "and certificate verification are public. Lists take `limit`/`offset` and return `total`. Errors are "
        "JSON: `{\"detail\": ..., \"errors\": {field: [messages]}}`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=OfflineSwagger(),
    docs_url="/docs",
)


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {("__all__" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
        detail = " ".join(m for v in errors.values() for m in v)
        return _error(request, 400, detail, errors)
    return _error(request, 400, " ".join(exc.messages), {"__all__": exc.messages})


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc: SchemaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "payload", "form", "file")]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(err.get("msg", "")))
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("Authentication required: send Authorization: Bearer <token>."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


# Our routers over other apps' models (kept here so the apps stay free of API code).
from .routers import geo, programme, registry, selection  # noqa: E402

api.add_router("/places/", geo.router, tags=["places"])
api.add_router("/establishments/", registry.establishments, tags=["establishments"])
api.add_router("/products/", registry.products, tags=["products"])
api.add_router("/rounds/", selection.rounds, tags=["selection"])
api.add_router("/results/", selection.results, tags=["selection"])
api.add_router("/certificates/", selection.certificates, tags=["selection"])
api.add_router("/projects/", programme.router, tags=["programme"])

# Routers an app provides itself as `khuyencong.<app>.api.router` mount at /<app>/ (e.g. reports → /reports/summary).
APP_ROUTERS = ["geo", "registry", "programme", "selection", "outreach", "reports", "catalogue"]
for _app in APP_ROUTERS:
    _package = import_module(f"khuyencong.{_app}")
    if module_has_submodule(_package, "api"):
        _router = getattr(import_module(f"khuyencong.{_app}.api"), "router", None)
        if _router is not None:
            api.add_router(f"/{_app}/", _router, tags=[_app])
