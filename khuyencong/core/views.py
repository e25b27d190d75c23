from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health, selectors


def home(request):
    """The dashboard: real counts for the user's place; anonymous visitors get the public entry points."""
    context = {"dashboard": selectors.dashboard(request.user) if request.user.is_authenticated else None}
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    """For load balancers and monitors: JSON, 200 when every check passes, 503 naming those that failed.

    No login and no session; it reads nothing of a user's.
    """
    result = health.run_checks()
    return JsonResponse(result, status=503 if result["failed"] else 200)
