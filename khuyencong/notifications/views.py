from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import selectors, services


@login_required
def notification_list(request):
    if request.method == "POST":
        services.mark_all_read(user=request.user)
        return redirect(request.path)
    return render(request, "notifications/list.html", {"items": selectors.latest(request.user)})
