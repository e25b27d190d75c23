"""Sessions that logged in with a password but still owe a second factor can only reach its pages."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from . import second_factor

# Pages a session owing a code (or an enrolment) may open: that page, logging out, switching language.
ALWAYS_OPEN = {"accounts:logout", "set_language"}
# Paths that never use the session (the API authenticates by token) or need no account.
OPEN_PREFIXES = ("/api/v1/", "/static/", "/media/", "/healthz")


class SecondFactorMiddleware:
    """After OTPMiddleware: send an unverified session to the code page, an unenrolled officer to enrolment.

    Every page is covered, the admin site included, so no view can forget the check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            target = None
            if second_factor.must_verify(request):
                target = "accounts:otp_verify"
            elif second_factor.must_enrol(request):
                target = "accounts:otp_enrol"
            if target and self._url_name(request) not in ALWAYS_OPEN | {target}:
                return redirect_with_next(target, request)
        return self.get_response(request)

    @staticmethod
    def _url_name(request):
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None


def redirect_with_next(name, request):
    url = reverse(name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()}, safe="/")
    if request.headers.get("HX-Request"):  # htmx would follow a 302 inside the page: ask it to load the page
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
