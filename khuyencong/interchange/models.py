"""An import started from the web: the uploaded file (private), its report, and where it stands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TimeStamped
from khuyencong.core.uploads import RandomUploadPath, private_storage

from .columns import KINDS


class ImportJob(TimeStamped):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        RUNNING = "running", _("Being processed")
        CHECKED = "checked", _("Checked, ready to import")
        REFUSED = "refused", _("Refused: errors in the file")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: the background work stopped")
        CANCELLED = "cancelled", _("Cancelled")

    class Failure(models.TextChoices):
        WORKER_STOPPED = "worker_stopped", _("The background worker stopped before the work was finished.")
        CANCELLED = "cancelled", _("Cancelled before the work was finished.")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("file"), max_length=20)
    file = models.FileField(upload_to=RandomUploadPath("imports"), storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    report = models.JSONField(default=dict, blank=True)
    # while RUNNING: what the background task does ("check" or "import") and its id
    phase = models.CharField(max_length=10, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # the lease: the last sign of life of the task running it (None while it waits in the queue), the
    # process running it (host:pid), how many times a worker started it, and a cancel asked of it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    failure = models.CharField(max_length=20, blank=True, choices=Failure.choices)

    @property
    def queued(self) -> bool:
        return self.status == self.Status.RUNNING and self.heartbeat_at is None

    def beat_key(self) -> str:
        """Where the running task also records its heartbeat (the progress cache: readable while SQLite is locked)."""
        return f"interchange:beat:{self.pk}:{self.attempts}:{self.file.name}"

    def cancel_key(self) -> str:
        return f"interchange:cancel:{self.pk}:{self.attempts}:{self.file.name}"

    def progress_key(self) -> str:
        """Where the background task writes its progress (the progress cache; the file's name is random)."""
        return f"interchange:progress:{self.pk}:{self.file.name}"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=KINDS),
                name="importjob_kind_known",
            ),
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} · {self.original_name}"
