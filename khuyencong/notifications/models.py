"""What a user is told, in the site (the bell) and by e-mail; every area notifies through `services.notify`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DOSSIER_RETURNED = "dossier_returned", _("Dossier returned for completion")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier submitted")
    SURVEY = "survey", _("Survey to answer")
    DEADLINE = "deadline", _("Deadline near")
    SCORING_OPEN = "scoring_open", _("Scoring open")
    RESULTS = "results", _("Results decided")
    APPEAL = "appeal", _("Appeal")
    EXPIRY = "expiry", _("Certificate expiring")
    OTHER = "other", _("Other")


class Preference(models.Model):
    """How a user wants to be told: by e-mail and in the site (the default), or in the site only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    by_email = models.BooleanField(_("also by e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        _("key"),
        max_length=200,
        blank=True,
        help_text=_("With a key, a user is told once: a second notice with the same key is not sent."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_key"
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject
