"""Absolute addresses for links that leave the site: certificate QR codes and e-mails.

SITE_URL when it is set; otherwise the address the current request came in on (so a QR code printed from a
demo on port 18100 points at port 18100); outside a request (a background task, the command line) the first
of ALLOWED_HOSTS in production, http://127.0.0.1:8000 in development.
"""

import contextvars

from django.conf import settings

_request = contextvars.ContextVar("khuyencong_request", default=None)


def site_origin(request=None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    request = request if request is not None else _request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    if settings.DEBUG or not hosts:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


def absolute_url(path: str, request=None) -> str:
    """`path` ("/verify/KC-…") made absolute."""
    return site_origin(request) + (path if path.startswith("/") else f"/{path}")


class current_request:  # noqa: N801 (used as a context manager)
    """Makes `request` the one links are made from while the response is built (core.middleware)."""

    def __init__(self, request):
        self.request = request

    def __enter__(self):
        self.token = _request.set(self.request)
        return self.request

    def __exit__(self, *exc):
        _request.reset(self.token)
