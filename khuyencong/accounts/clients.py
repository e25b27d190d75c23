"""Which address a request came from: the one rule used by login lockout, page rate limits and API throttles.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR would put all users in one
bucket. When TRUSTED_PROXY_HEADER is set (e.g. HTTP_X_FORWARDED_FOR), each of the TRUSTED_PROXY_COUNT
proxies in front of the application appends the address it saw to that header, so the client is the
TRUSTED_PROXY_COUNT-th entry from the right. Entries further left were written by the client itself and
are never trusted (a client could otherwise pick its own address and escape every limit).
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address as the trusted proxies saw it, or REMOTE_ADDR without a configured proxy."""
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header:
        entries = [entry for entry in request.META.get(header, "").split(",") if entry.strip()]
        count = max(1, getattr(settings, "TRUSTED_PROXY_COUNT", 1))
        if entries:
            found = _valid(entries[-min(count, len(entries))])
            if found:
                return found
    return _valid(remote) if remote else None
