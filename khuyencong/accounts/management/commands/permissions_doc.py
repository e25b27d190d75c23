"""Write docs/permissions.md from the permission matrix (accounts/matrix.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from khuyencong.accounts.matrix import as_markdown


class Command(BaseCommand):
    help = "Write docs/permissions.md from the permission matrix in khuyencong/accounts/matrix.py."

    def handle(self, *args, **options):
        path = Path(settings.PROJECT_DIR) / "docs" / "permissions.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(as_markdown(), encoding="utf-8")
        self.stdout.write(f"{path}: {len(as_markdown().splitlines())} lines")
