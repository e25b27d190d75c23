"""Upload safety shared by dossiers, projects and product photos: type sniffed, size bounded, name random."""

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DOCUMENT_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
IMAGE_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k in {".png", ".jpg", ".jpeg"}}


def validate_upload(upload, allowed: dict[str, bytes] = DOCUMENT_TYPES, max_bytes: int | None = None) -> None:
    """Refuse a file whose extension is not allowed, whose content does not match it, or that is too big."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in allowed:
        raise ValidationError(
            _("File “%(name)s”: type %(ext)s is not accepted; allowed: %(allowed)s.")
            % {"name": name, "ext": ext or "?", "allowed": ", ".join(sorted(allowed))}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("File “%(name)s” is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(upload.size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)}
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(allowed[ext]):
        raise ValidationError(
            _("File “%(name)s”: its content is not a real %(ext)s file.") % {"name": name, "ext": ext}
        )


@deconstructible
class RandomUploadPath:
    """upload_to that keeps the extension and drops the user's file name from the stored path."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lower()
        return f"{self.prefix}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadPath) and other.prefix == self.prefix


class PrivateStorage(FileSystemStorage):
    """Documents under settings.PRIVATE_MEDIA_ROOT (read at use, so tests can move it), never under MEDIA_URL:
    dossier, visit, project and import files are served only by views that check permission."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private documents are served by a permission-checked view.")

    def deconstruct(self):
        return ("khuyencong.core.uploads.PrivateStorage", [], {})


def private_storage():
    """The `storage=` of every private FileField (a callable, so migrations do not pin a path): the folder
    PRIVATE_MEDIA_ROOT, or the object storage's private/ prefix when S3_BUCKET is set (settings.storages)."""
    if "private" in settings.STORAGES:
        from django.core.files.storage import storages

        return storages["private"]
    return PrivateStorage()


@contextmanager
def local_path(field_file):
    """A path on this machine to read a stored file by name (the file itself in a folder storage, a temporary
    copy when it lives in object storage)."""
    try:
        path = field_file.path
    except NotImplementedError:  # object storage has no local path
        path = None
    if path is not None:
        yield path
        return
    suffix = os.path.splitext(field_file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name
