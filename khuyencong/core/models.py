"""Abstract bases shared by the domain apps."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Archivable(models.Model):
    """Records are archived, never hard-deleted: results and money must stay traceable."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def mark_archived(self, user) -> None:
        self.archived_at = timezone.now()
        self.archived_by = user

    def delete(self, *args, **kwargs):  # noqa: D401 - guard against hard deletion
        raise models.ProtectedError(_("Records are archived, never deleted."), {self})
