"""The user's API tokens: create (shown once) and revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.forms import run_service

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(required=False, strip=False)  # the service says what a good name is


@login_required
def token_list(request):
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            request,
            form,
            lambda: services.create_token(user=request.user, name=form.cleaned_data["name"]),
            lambda result: (
                _("Token “%(name)s” created. Copy it now: it will not be shown again.")
                % {"name": result[0].name}
            ),
        )
        if created:
            new_token = created[1]
    errors = [*form.non_field_errors(), *form.errors.get("name", [])]
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": tokens,
            "new_token": new_token,
            "errors": errors,
            "name": request.POST.get("name", "") if errors else "",
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(user=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
