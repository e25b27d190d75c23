"""The open API (/api/v1/): thin over each app's services and selectors, with the same scoping as the UI."""

from functools import wraps
from importlib import import_module

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from khuyencong.accounts.ratelimits import AddressThrottle, TokenThrottle, api_throttled_message
from khuyencong.core.concurrency import StaleEdit

from .auth import TokenAuth
from .docs import OfflineSwagger
from .errors import message_for

api = NinjaAPI(
    title="Khuyến công API",
    version="1",
    description=(
        "Places, establishments, products, selection rounds, results, certificates, projects and reports. "
        "Authenticate with `Authorization: Bearer <token>` (create one under /api/tokens/); the catalogue "
        "and certificate verification are public. Lists take `limit`/`offset` and return `total`. Errors are "
        'JSON: `{"detail": ..., "errors": {field: [messages]}}`. Calls are limited per token (anonymous calls per '
        "address): over the limit the answer is 429 with a `Retry-After` header in seconds."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[AddressThrottle(), TokenThrottle()],  # limits: settings.API_THROTTLE_RATES
    docs=OfflineSwagger(),
    docs_url="/docs",
)


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(StaleEdit)
def on_stale_edit(request, exc: StaleEdit):
    """409: the record changed since the client read it (If-Match); both versions, and who changed it."""
    return api.create_response(
        request,
        {
            "detail": exc.messages[0],
            "errors": {},
            "your_version": exc.expected,
            "current_version": exc.version,
            "changed_by": exc.who,
            "changed_at": exc.when.isoformat() if exc.when else None,
        },
        status=409,
    )


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
        loc = [
            str(part)
            for part in err.get("loc", ())
            if part not in ("body", "query", "path", "payload", "form", "file")
        ]
        errors.setdefault(".".join(loc) or "__all__", []).append(message_for(err))
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


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    return _error(request, 429, api_throttled_message(exc.wait))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def reject_unknown_query(router) -> None:
    """Answer 422 to query parameters an operation does not take: a typo ("provnce=96") must not silently list everything."""  # noqa: E501
    allowed_by_view = {}
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            allowed = set()
            for model in operation.models:
                if getattr(model, "__ninja_param_source__", None) == "query":
                    flat = getattr(model, "__ninja_flatten_map__", None)
                    allowed |= set(flat) if flat else {f.alias or n for n, f in model.model_fields.items()}
            allowed_by_view[operation.view_func] = allowed

    def decorator(view_func):
        allowed = allowed_by_view.get(view_func)

        @wraps(view_func)
        def checked(request, *args, **kwargs):
            unknown = sorted(set(request.GET) - allowed) if allowed is not None else []
            if unknown:
                return _error(
                    request,
                    422,
                    _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)},
                    {name: [_("Unknown query parameter.")] for name in unknown},
                )
            return view_func(request, *args, **kwargs)

        return checked

    router.add_decorator(decorator, mode="operation")


# Our routers over other apps' models (kept here so the apps stay free of API code).
from khuyencong.catalogue import api as catalogue_api  # noqa: E402

from .routers import (  # noqa: E402
    batches,
    beneficiaries,
    geo,
    judging,
    money,
    national,
    programme,
    registry,
    selection,
    selection_workflow,
    targets,
)

for _router in (
    geo.router,
    registry.establishments,
    registry.products,
    selection_workflow.rubrics,
    selection.rounds,
    selection.results,
    selection.certificates,
    selection.dossiers,
    judging.appeals,
    programme.router,
    targets.router,
    money.router,
    national.router,
    catalogue_api.router,
    batches.router,
    beneficiaries.villages,
    beneficiaries.artisans,
    beneficiaries.rules,
):
    reject_unknown_query(_router)

api.add_router("/places/", geo.router, tags=["places"])
api.add_router("/establishments/", registry.establishments, tags=["establishments"])
api.add_router("/products/", registry.products, tags=["products"])
api.add_router("/rubrics/", selection_workflow.rubrics, tags=["selection"])
api.add_router("/rounds/", selection.rounds, tags=["selection"])
api.add_router("/results/", selection.results, tags=["selection"])
api.add_router("/certificates/", selection.certificates, tags=["selection"])
api.add_router("/dossiers/", selection.dossiers, tags=["selection"])
api.add_router("/appeals/", judging.appeals, tags=["selection"])
api.add_router("/projects/", programme.router, tags=["programme"])
api.add_router("/batches/", batches.router, tags=["selection"])
api.add_router("/programmes/", targets.router, tags=["programme"])
api.add_router("/treasury/", money.router, tags=["treasury"])
api.add_router("/national/", national.router, tags=["national plan"])
api.add_router("/craft-villages/", beneficiaries.villages, tags=["beneficiaries"])
api.add_router("/artisans/", beneficiaries.artisans, tags=["beneficiaries"])
api.add_router("/rules/", beneficiaries.rules, tags=["programme"])


def document_errors(router) -> None:
    """Document the error shape (400/401/403/404/422) on every operation of an app's router: the handlers above are global."""  # noqa: E501
    from .common import ErrorOut

    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            models = operation.response_models
            if len(models) == 1 and 200 not in models:
                continue  # a single non-200 response: adding codes would change which status ninja answers with
            for code in (400, 401, 403, 404, 422):
                models.setdefault(code, operation._create_response_model(ErrorOut))


# Routers an app provides itself as `khuyencong.<app>.api.router` mount at /<app>/ (e.g. reports → /reports/summary).
APP_ROUTERS = ["geo", "registry", "programme", "selection", "outreach", "reports", "catalogue"]
for _app in APP_ROUTERS:
    _package = import_module(f"khuyencong.{_app}")
    if module_has_submodule(_package, "api"):
        _router = getattr(import_module(f"khuyencong.{_app}.api"), "router", None)
        if _router is not None:
            document_errors(_router)
            if getattr(import_module(f"khuyencong.{_app}.api"), "REJECT_UNKNOWN_QUERY", False):
                reject_unknown_query(_router)
            api.add_router(f"/{_app}/", _router, tags=[_app])
