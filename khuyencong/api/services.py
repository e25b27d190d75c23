"""Creating and revoking API tokens (the raw token is shown once and never stored)."""

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import scoping

from .models import ApiToken, hash_token, new_raw_token

MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the raw token to show once."""
    if not scoping.is_authenticated(user):
        raise PermissionDenied(_("Log in to create an API token."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that will use it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is too long (100 characters at most).")})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("You already have %(n)s active tokens: revoke one first.") % {"n": MAX_ACTIVE_TOKENS}}
        )
    raw = new_raw_token()
    with set_actor(user):
        token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:10])
    return token, raw


@transaction.atomic
def revoke_token(*, user, token: ApiToken) -> ApiToken:
    if not (scoping.is_admin(user) or token.user_id == getattr(user, "pk", None)):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with set_actor(user):
            token.save(update_fields=["revoked_at"])
    return token


def user_for_token(raw: str):
    """The active user holding this token, or None. Notes when the token was last used (at most once a minute)."""
    if not raw or not raw.startswith("kc_") or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
