"""Absolute links in e-mails: SITE_URL when the operator set it, else the address the request came in on."""

from django.conf import settings


def site_base(request=None) -> str:
    """The site's address without a trailing slash, e.g. "https://khuyencong.example.gov.vn".

    A demo on port 18100 must not mail links to port 8000: without SITE_URL the request's own
    scheme and host (checked against ALLOWED_HOSTS by `get_host`) are used.
    """
    configured = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if configured or request is None:
        return configured
    return f"{request.scheme}://{request.get_host()}"
