from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/tokens/", views.token_list, name="api_tokens"),
    path("api/tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
