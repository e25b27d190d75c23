"""System checks for a production deployment (`khuyencong check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if not getattr(settings, "PRODUCTION", False) or settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: certificate QR codes and e-mail links use whatever address a request came in on, "
            "and background e-mails fall back to the first of ALLOWED_HOSTS.",
            hint="Set SITE_URL to the site's public address, e.g. https://khuyencong.camau.gov.vn",
            id="khuyencong.W001",
        )
    ]


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    local = [alias for alias, c in settings.CACHES.items() if c["BACKEND"].endswith("locmem.LocMemCache")]
    if not getattr(settings, "PRODUCTION", False) or not local:
        return []
    return [
        Warning(
            f"The cache {', '.join(local)} is a per-process memory cache: several server processes would not agree "
            "on rate limits, lockouts or cached counts.",
            hint="Set REDIS_URL, or leave it unset for the database cache.",
            id="khuyencong.W002",
        )
    ]
