"""Login lockout (django-axes) by the pair (user name, client address), and the page a locked user sees.

Locking by address alone would lock out a whole office behind one proxy after one person's typos;
locking by user name alone would let anyone lock out an officer by typing their name. The pair does
neither: the failures of `tran.thu` from one address lock only `tran.thu` from that address.
"""

import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from .clients import client_address


def retry_time(request, credentials=None):
    """When the locked pair may log in again: its last failure plus the cool-off time."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        t=Max("attempt_time")
    )["t"]
    return (last or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: a page saying until when, answered 429 with Retry-After."""
    retry_at = retry_time(request, credentials)
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds())) if retry_at else None
    context = {"retry_at": retry_at, "wait_minutes": math.ceil(seconds / 60) if seconds else None}
    response = render(request, "accounts/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
