"""An import started from the web: the uploaded file (private), its report, and where it stands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TimeStamped
from khuyencong.core.uploads import RandomUploadPath, private_storage


class ImportJob(TimeStamped):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        RUNNING = "running", _("Being processed")
        CHECKED = "checked", _("Checked, ready to import")
        REFUSED = "refused", _("Refused: errors in the file")
        DONE = "done", _("Imported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("file"), max_length=20)
    file = models.FileField(upload_to=RandomUploadPath("imports"), storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    report = models.JSONField(default=dict, blank=True)
    # while RUNNING: what the background task does ("check" or "import") and its id
    phase = models.CharField(max_length=10, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    def progress_key(self) -> str:
        """Where the background task writes its progress (the progress cache; the file's name is random)."""
        return f"interchange:progress:{self.pk}:{self.file.name}"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["uploaded", "running", "checked", "refused", "done"]), name="importjob_status_known"),
            models.CheckConstraint(condition=models.Q(kind__in=["establishments", "products", "projects", "results"]),
                                   name="importjob_kind_known"),
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} · {self.original_name}"
