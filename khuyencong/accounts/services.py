"""Writes about accounts: the second factor's enrolment, recovery codes, turning it off; ending lockouts."""

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def start_totp_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows as a QR code (the same one until confirmed)."""
    with set_actor(user):
        device = second_factor.totp_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
        return device


def confirm_totp_enrolment(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app by a first code it shows; returns the recovery codes (shown once, never again).

    A wrong code is counted (django-otp's throttling: each failure doubles the wait), so the count
    is committed even though the enrolment is refused.
    """
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied(_("This enrolment is not yours or is already finished."))
    codes = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if allowed and device.verify_token(normalise(token)):
            with set_actor(user):
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
    if not allowed:
        raise ValidationError({"token": too_many_attempts_message(info)})
    if codes is None:
        raise ValidationError({"token": _("This code is not right. Type the 6 digits the app shows now.")})
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not second_factor.has_second_factor(user):
        raise PermissionDenied(_("Set up two-step verification first."))
    with set_actor(user):
        return _new_recovery_codes(user)


@transaction.atomic
def turn_off_second_factor(*, user) -> None:
    """Remove the authenticator and the recovery codes (refused when the account must use them)."""
    if second_factor.requires_second_factor(user):
        raise PermissionDenied(_("Your role requires two-step verification: it cannot be turned off."))
    with set_actor(user):
        for device in TOTPDevice.objects.filter(user=user):
            device.delete()
        for device in StaticDevice.objects.filter(user=user):
            device.delete()


def end_lockouts(*, user) -> int:
    """After a password reset by e-mail: the mailbox's owner may log in again from any address at once."""
    from axes.utils import reset

    return reset(username=user.username)


def _new_recovery_codes(user) -> list[str]:
    for old in StaticDevice.objects.filter(user=user):
        old.delete()  # one by one, so the audit log records each
    device = StaticDevice.objects.create(user=user, name=str(_("Recovery codes")))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def normalise(token: str) -> str:
    """What people type: "123 456", "ABCD-EFGH" → "123456", "abcdefgh"."""
    return "".join(ch for ch in (token or "") if ch.isalnum()).lower()


def too_many_attempts_message(info) -> str:
    from django.utils import timezone
    from django.utils.formats import time_format

    locked_until = (info or {}).get("locked_until")
    if locked_until:
        return _("Too many wrong codes. Wait until %(time)s, then type the code the app shows.") % {
            "time": time_format(timezone.localtime(locked_until), "H:i:s")
        }
    return _("Too many wrong codes. Wait a moment, then try again.")


def verify_second_factor(*, user, token: str):
    """The device that accepts this code (the app's 6 digits, or a recovery code, used up), or a ValidationError."""
    token = normalise(token)
    if not token:
        raise ValidationError({"token": _("Type the code from your authenticator app or a recovery code.")})
    with transaction.atomic():
        if token.isdigit() and len(token) == 6:  # the app's code; recovery codes have 8 characters
            candidates = TOTPDevice.objects.devices_for_user(user).select_for_update()
        else:
            candidates = StaticDevice.objects.devices_for_user(user).select_for_update()
        for device in candidates:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                raise ValidationError({"token": too_many_attempts_message(info)})
            if device.verify_token(token):
                return device
    raise ValidationError(
        {"token": _("This code is not right. Type the 6 digits the app shows now, or a recovery code.")}
    )
