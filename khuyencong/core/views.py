from django.shortcuts import render

from . import selectors


def home(request):
    """The dashboard: real counts for the user's place; anonymous visitors get the public entry points."""
    context = {"dashboard": selectors.dashboard(request.user) if request.user.is_authenticated else None}
    return render(request, "core/home.html", context)


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
