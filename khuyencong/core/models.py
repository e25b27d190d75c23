"""Abstract bases shared by the domain apps."""

import mimetypes
import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import RandomUploadPath, private_storage


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


def private_upload_path(instance, filename: str) -> str:
    """Where a private document is stored: its model's `upload_folder`, a random name, the extension kept."""
    return RandomUploadPath(instance.upload_folder)(instance, filename)


class PrivateDocument(TimeStamped):
    """A private file attached to a record (a dossier's papers, a project's, a visit's photo).

    Stored under `settings.PRIVATE_MEDIA_ROOT`, never under MEDIA_URL, and served only by
    `core.views.private_document` to users `accounts.permissions.may_download` lets read it.
    """

    upload_folder = "documents"
    download_inline = True  # PDFs and pictures open in the browser; False: always downloaded

    file = models.FileField(_("file"), upload_to=private_upload_path, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        abstract = True

    @property
    def uploaded_at(self):
        return self.created_at

    def attach(self, upload, user) -> None:
        """Take the (validated) upload: its name, size and type, and who sent it; saved with the record."""
        self.original_name = upload.name[:255]
        self.size = upload.size
        self.content_type = content_type_of(upload.name)
        self.uploaded_by = user
        self.file.save(upload.name, upload, save=False)

    @property
    def opens_inline(self) -> bool:
        kind = self.content_type or content_type_of(self.original_name)
        return self.download_inline and kind in ("application/pdf", "image/png", "image/jpeg")


def content_type_of(name: str) -> str:
    return mimetypes.types_map.get(os.path.splitext(name or "")[1].lower(), "application/octet-stream")
