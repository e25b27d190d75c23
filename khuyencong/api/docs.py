"""Interactive API docs served from our own static files (no CDN: offline and CSP 'self' both work)."""

import json

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class OfflineSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "persistAuthorization": True,
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": json.dumps(settings)})
