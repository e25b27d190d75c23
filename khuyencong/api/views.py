"""The user's API tokens: create (shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import ApiToken


@login_required
def token_list(request):
    new_token = None
    errors = []
    if request.method == "POST":
        try:
            token, new_token = services.create_token(user=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Token “%(name)s” created. Copy it now: it will not be shown again.") % {"name": token.name})
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"tokens": tokens, "new_token": new_token, "errors": errors,
                                               "name": request.POST.get("name", "") if errors else ""})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(user=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
