"""Rate limits per client address on public pages that can be enumerated, and on the API.

Pages: `@rate_limited("verify")` counts requests per client address (accounts/clients.py) in the
shared Django cache (Redis or the database cache in production, so every worker process agrees) with
django-ratelimit's fixed windows, and answers 429 with Retry-After and a readable page once over.
API: django-ninja throttles, per token for authenticated calls and per address for anonymous ones.
Limits are settings (RATE_LIMITS, API_THROTTLE_RATES) read from the environment.
"""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.throttling import SimpleRateThrottle

from .clients import client_address


def enabled() -> bool:
    return getattr(settings, "RATE_LIMITS_ENABLED", True)


def _address_key(group, request) -> str:
    return client_address(request) or "unknown"


def too_many_requests(request, retry_after: int):
    """The 429 answer: JSON for JSON clients and .json exports, a Vietnamese page for everyone else."""
    retry_after = max(1, int(retry_after))
    retry_at = timezone.now() + timezone.timedelta(seconds=retry_after)
    wants_json = request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse(
            {
                "detail": _("Too many requests from your address. Try again in %(seconds)s seconds.")
                % {"seconds": retry_after},
                "retry_after": retry_after,
            },
            status=429,
        )
    else:
        response = render(
            request,
            "accounts/rate_limited.html",
            {"retry_after": retry_after, "retry_at": retry_at},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)  # a shared cache must not hand one visitor's 429 to the next
    return response


def rate_limited(group: str, *, methods=None):
    """Limit a view to settings.RATE_LIMITS[group] ("30/m", "1000/h", ...) requests per client address.

    `methods` (e.g. ["POST"]) limits only those methods. Put it outermost, above any decorator that
    marks a response as publicly cacheable.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            rate = settings.RATE_LIMITS.get(group)
            if enabled() and rate and (methods is None or request.method in methods):
                usage = get_usage(
                    request,
                    group=f"kc:{group}",
                    key=_address_key,
                    rate=rate,
                    method=get_usage.ALL,
                    increment=True,
                )
                if usage and usage["should_limit"]:
                    return too_many_requests(request, usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class _SettingsRateThrottle(SimpleRateThrottle):
    """A ninja throttle whose rate is read from settings.API_THROTTLE_RATES on each call (not at import)."""

    scope = ""

    def __init__(self):
        self.rate = None

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request) or "unknown"

    def allow_request(self, request) -> bool:
        self.rate = self.get_rate()
        if not enabled() or not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def wait(self):
        # The oldest request in the window must age out before the next is allowed.
        if self.history:
            return max(1, math.ceil(self.duration - (self.now - self.history[-1])))
        return self.duration


class AddressThrottle(_SettingsRateThrottle):
    """Anonymous API calls, per client address."""

    scope = "anon"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        return f"throttle_anon_{self.get_ident(request)}"


class TokenThrottle(_SettingsRateThrottle):
    """Authenticated API calls, per token (two tokens of one user are two budgets; one token is one)."""

    scope = "token"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is None:
            return None
        header = request.headers.get("Authorization", "")
        token = header.split(" ", 1)[1].strip() if " " in header else header
        return f"throttle_token_{hashlib.sha256(token.encode()).hexdigest()}"


def api_throttled_message(wait) -> str:
    """The API's 429 `detail` (ninja adds the Retry-After header itself)."""
    if wait:
        return _("Too many requests from your address. Try again in %(seconds)s seconds.") % {
            "seconds": max(1, math.ceil(wait))
        }
    return _("Too many requests from your address. Try again later.")
