"""The notification mail, sent by the task worker after the transaction that made the notification commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def send_notification_mail(notification_id: int, link: str = "") -> bool:
    from .models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.mailed_at or not notification.user.email:
        return False  # gone, already mailed (a task run twice), or nobody to write to
    from .services import wants_mail

    if not wants_mail(notification.user):
        return False  # the user chose "in the site only" meanwhile
    send_mail(
        notification.subject,
        f"{notification.body}\n\n{link}".strip(),
        settings.DEFAULT_FROM_EMAIL,
        [notification.user.email],
        fail_silently=True,
    )
    Notification.objects.filter(pk=notification.pk).update(mailed_at=timezone.now())
    return True
