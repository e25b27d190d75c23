"""The project's URLs plus `/bench/bare/`: a view doing nothing, served through the same middleware and server."""

from django.http import HttpResponse
from django.urls import path

from khuyencong.urls import urlpatterns as project_urls


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urls]
