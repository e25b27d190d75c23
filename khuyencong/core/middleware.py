import logging


class VietnameseFirstMiddleware:
    """The UI is Vietnamese first: a browser's Accept-Language does not switch it to English.

    English is chosen explicitly with the language switch (a cookie), which LocaleMiddleware honours.
    The API (/api/v1/) is different: a program asks for its language with Accept-Language (`en` for
    English; none, or `vi`, for Vietnamese), so the header is kept there.
    Placed before django.middleware.locale.LocaleMiddleware.
    """

    API_PREFIX = "/api/v1/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """A NUL character in the address or the query is never meaningful input, and PostgreSQL refuses it
    in any string: answer 400 with a clear message instead of failing deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_null(request):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The request contains a null character (\\x00), which is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_null(request) -> bool:
        if "\x00" in request.path or any("\x00" in v for _key, values in request.GET.lists() for v in values):
            return True
        if request.content_type == "application/json" and request.method in {"POST", "PUT", "PATCH"}:
            body = request.body
            return b"\\u0000" in body or b"\x00" in body
        return False


class RequestLogMiddleware:
    """One log line per request on `khuyencong.request` (JSON in production: method, path, status,
    duration in ms, user id), when settings.REQUEST_LOG; and the request that absolute links are made
    from (core.links), for the time of the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings

        from .links import current_request

        started = time.perf_counter()
        with current_request(request):
            response = self.get_response(request)
        if settings.REQUEST_LOG:
            user = getattr(request, "user", None)
            _request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response


_request_log = logging.getLogger("khuyencong.request")
