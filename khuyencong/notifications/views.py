from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
@require_POST
def preferences(request):
    """My account: be told by e-mail and in the site, or in the site only."""
    by_email = request.POST.get("by_email") == "1"
    services.set_mail_preference(user=request.user, by_email=by_email)
    messages.success(
        request,
        _("You will be told by e-mail and in the site.")
        if by_email
        else _("You will be told in the site only."),
    )
    return redirect("accounts:profile")


@login_required
def notification_list(request):
    if request.method == "POST":
        services.mark_all_read(user=request.user)
        return redirect(request.path)
    return render(request, "notifications/list.html", {"items": selectors.latest(request.user)})
