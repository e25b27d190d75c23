from ninja.security import HttpBearer

from .services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kc_…` — a token created under /api/tokens/ or with `khuyencong api_token`."""

    openapi_description = "A personal API token (Authorization: Bearer kc_…), created under /api/tokens/."

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
