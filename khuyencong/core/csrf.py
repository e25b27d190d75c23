"""A visitor's CSRF token for a page served from a cache, made as django.middleware.csrf.get_token makes it but
with one read of the system's random source per string instead of one per character.

Django draws each of the 32 characters of the secret and of the mask with `secrets.choice` (a system call each):
on a cached catalogue page that was more than half of what serving it cost. The strings here come from the same
source (os.urandom), each character equally likely among the same 62; the secret is stored, and the cookie set,
by CsrfViewMiddleware exactly as for Django's own tokens (request.META["CSRF_COOKIE"], "CSRF_COOKIE_NEEDS_UPDATE").
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)  # 62
_INDEX = {c: i for i, c in enumerate(_CHARS)}
# bytes from this value on are dropped, so that every character is equally likely (256 is not a multiple of 62)
_LIMIT = 256 - 256 % _COUNT


def random_chars(length: int = CSRF_SECRET_LENGTH) -> str:
    out: list[str] = []
    while len(out) < length:
        for byte in os.urandom(length + 8):
            if byte < _LIMIT:
                out.append(_CHARS[byte % _COUNT])
                if len(out) == length:
                    break
    return "".join(out)


def get_token(request) -> str:
    """The masked token for this visitor's page (a new mask every time); a new secret, sent as the CSRF cookie
    by CsrfViewMiddleware, when the visitor has none."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        secret = random_chars()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_chars()
    cipher = "".join(_CHARS[(_INDEX[s] + _INDEX[m]) % _COUNT] for s, m in zip(secret, mask, strict=True))
    return mask + cipher
