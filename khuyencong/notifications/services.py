"""Telling users: a row for the bell at once, the e-mail by a task once the caller's transaction commits."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from khuyencong.core.links import absolute_url

from .models import Notification, Preference


def wants_mail(user) -> bool:
    """Is the user told by e-mail too (an address, and not "in the site only" under My account)?"""
    if not getattr(user, "email", ""):
        return False
    return not Preference.objects.filter(user=user, by_email=False).exists()


@transaction.atomic
def set_mail_preference(*, user, by_email: bool) -> Preference:
    """The user's own choice, under My account: e-mail and the site, or the site only (audited)."""
    from auditlog.context import set_actor

    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    if preference.by_email != bool(by_email) or _created:
        preference.by_email = bool(by_email)
        with set_actor(user):
            preference.save()
    return preference


def notify(users, *, kind: str, subject: str, body: str = "", url: str = "", key: str = "") -> int:
    """Tell users in the site and by e-mail; with a key, a user is told once per key. Returns how many were told.

    Safe inside a transaction: the rows roll back with it, and the mail is only enqueued when it commits
    (never sent while the caller holds locks, never sent for something that did not happen).
    """
    from .tasks import send_notification_mail

    link = absolute_url(url) if url else ""  # the request's address is known here, not in the worker
    told = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        try:
            with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
                notification = Notification.objects.create(
                    user=user, kind=kind, subject=subject, body=body, url=url, key=key
                )
        except IntegrityError:
            if key and Notification.objects.filter(user=user, key=key).exists():
                continue  # told already (one_notification_per_key)
            raise
        if wants_mail(user):
            transaction.on_commit(lambda pk=notification.pk: send_notification_mail.enqueue(pk, link))
        told += 1
    return told


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- reminders: each area registers what it reminds people of ---------------------------------

_REMINDERS = []


def register_reminders(func) -> None:
    """`func(today, days) -> int` tells users of deadlines within `days`; run by `khuyencong send_reminders`."""
    if func not in _REMINDERS:
        _REMINDERS.append(func)


def send_reminders(*, today=None, days: int = 3) -> int:
    return sum(func(today=today, days=days) for func in _REMINDERS)
