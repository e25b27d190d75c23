"""Who must use a second factor (TOTP) and whether a session has passed it: the named predicates.

OTP_REQUIRED_FOR (settings, from the environment) lists groups of accounts that must enrol an
authenticator app before they may do anything: "admins" (administrators and users of the admin site),
"officers" (province officers and administrators), "staff" (every officer) or "everyone". Anyone else
may enrol of their own accord; once enrolled, every login asks for a code.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.dispatch import receiver

from . import scoping


def _admins(user) -> bool:
    return scoping.is_admin(user) or bool(user.is_staff)


SECOND_FACTOR_GROUPS = {
    "admins": _admins,
    "officers": lambda user: scoping.is_officer(user) or _admins(user),
    "staff": lambda user: scoping.is_staff_role(user) or _admins(user),
    "everyone": scoping.is_authenticated,
}


def required_groups() -> list[str]:
    return [name for name in getattr(settings, "OTP_REQUIRED_FOR", []) if name not in ("", "none")]


def requires_second_factor(user) -> bool:
    """Must this account enrol a TOTP device before using the platform?"""
    if not scoping.is_authenticated(user):
        return False
    return any(SECOND_FACTOR_GROUPS[name](user) for name in required_groups() if name in SECOND_FACTOR_GROUPS)


def totp_device(user, confirmed=True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not scoping.is_authenticated(user):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("pk").first()


def has_second_factor(user) -> bool:
    """Has the account a confirmed authenticator app?"""
    return totp_device(user) is not None


# Whether the session's user has an authenticator, noted at login so that pages cost no extra query.
SESSION_KEY = "second_factor_enrolled"


def remember_enrolment(request, user=None) -> bool:
    enrolled = has_second_factor(user or request.user)
    request.session[SESSION_KEY] = enrolled
    return enrolled


def _session_enrolled(request) -> bool:
    if SESSION_KEY not in request.session:  # a session from before this was noted
        return remember_enrolment(request)
    return bool(request.session[SESSION_KEY])


def is_verified(user) -> bool:
    """Did this session pass the second factor (django-otp's OTPMiddleware sets `is_verified`)?"""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def must_verify(request) -> bool:
    """Logged in with a password, enrolled, but no code given yet in this session."""
    user = request.user
    return scoping.is_authenticated(user) and _session_enrolled(request) and not is_verified(user)


def must_enrol(request) -> bool:
    """Logged in, required by their role to use a second factor, and not enrolled yet."""
    return requires_second_factor(request.user) and not _session_enrolled(request)


def may_turn_off_second_factor(user) -> bool:
    return has_second_factor(user) and not requires_second_factor(user)


@checks.register(checks.Tags.security)
def check_required_groups(app_configs=None, **kwargs):
    unknown = [name for name in required_groups() if name not in SECOND_FACTOR_GROUPS]
    if unknown:
        return [
            checks.Error(
                f"OTP_REQUIRED_FOR names unknown group(s): {', '.join(unknown)}",
                hint=f"Use a comma-separated list of: {', '.join(SECOND_FACTOR_GROUPS)} (or leave it empty).",
                id="accounts.E001",
            )
        ]
    return []


@receiver(user_logged_in)
def _note_enrolment_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_enrolment(request, user)
