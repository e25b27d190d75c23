import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from khuyencong.core.forms import run_action, run_service

from . import second_factor, services
from .forms import CodeForm, NewPasswordForm, PasswordResetRequestForm
from .ratelimits import rate_limited


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(rate_limited("password_reset", methods=["POST"]), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the next page reads the same whether or not the address is known."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the mailed link; a lockout of that user name ends with it."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.end_lockouts(user=form.user)
        return response


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": request.user,
            "has_second_factor": second_factor.has_second_factor(request.user),
            "requires_second_factor": second_factor.requires_second_factor(request.user),
        },
    )


def _next_url(request, default="core:home"):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


@login_required
def otp_verify(request):
    """The second step of logging in: a code from the authenticator app, or a recovery code."""
    user = request.user
    second_factor.remember_enrolment(request)  # the authenticator may have been removed meanwhile
    if not second_factor.must_verify(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = run_service(
            request, form, lambda: services.verify_second_factor(user=user, token=form.cleaned_data["token"])
        )
        if device:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s left. Make new ones on your account page.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    """Set up the authenticator app: scan the QR code, type the first code, keep the recovery codes."""
    user = request.user
    if second_factor.must_verify(request):
        return redirect("accounts:otp_verify")
    if second_factor.has_second_factor(user):
        messages.info(request, _("Two-step verification is already on for your account."))
        return redirect("accounts:profile")
    device = services.start_totp_enrolment(user=user)
    form = CodeForm(request.POST or None, numeric=True)
    if request.method == "POST" and form.is_valid():
        codes = run_service(
            request,
            form,
            lambda: services.confirm_totp_enrolment(
                user=user, device=device, token=form.cleaned_data["token"]
            ),
        )
        if codes:
            device.refresh_from_db()
            django_otp.login(request, device)
            second_factor.remember_enrolment(request)
            return render(
                request,
                "accounts/otp_recovery_codes.html",
                {"codes": codes, "next": _next_url(request, "accounts:profile"), "just_enrolled": True},
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": second_factor.requires_second_factor(user),
            "next": _next_url(request, "accounts:profile"),
        },
    )


@login_required
@require_POST
def otp_recovery_codes(request):
    """New recovery codes, shown once on this page."""
    codes = run_action(
        request,
        lambda: services.regenerate_recovery_codes(user=request.user),
        _("New recovery codes are ready; the old ones no longer work."),
        refusals_as_messages=True,
    )
    if not codes:
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/otp_recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:profile"), "just_enrolled": False},
    )


@login_required
@require_POST
def otp_turn_off(request):
    run_action(
        request,
        lambda: services.turn_off_second_factor(user=request.user),
        _("Two-step verification is off. Your account is protected by the password only."),
        refusals_as_messages=True,
    )
    second_factor.remember_enrolment(request)
    return redirect("accounts:profile")


@login_required
def permissions_matrix(request):
    """The permission matrix, for officers (and administrators) to read."""
    from django.core.exceptions import PermissionDenied

    from . import matrix, permissions

    if not permissions.is_officer(request.user):
        raise PermissionDenied
    rows = [
        {"object": r.object, "action": r.action, "cells": [r.cell(key) for key, _r, _p in matrix.WHO]}
        for r in matrix.MATRIX
    ]
    return render(
        request, "accounts/permissions.html", {"who": matrix.WHO, "rows": rows, "labels": matrix.LABELS}
    )
