from django.core.management.base import BaseCommand, CommandError

from khuyencong.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database (native copy and a database-neutral dump), the public "
        "and private uploads, and a manifest (version, migrations, row counts, SHA-256 of every file)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="where to write the archive, e.g. /var/backups/khuyencong/2026-12-01.tar.gz"
        )

    def handle(self, *args, **options):
        try:
            manifest = create_backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        uploads = sum(1 for name in manifest["files"] if name.startswith(("media/", "private/")))
        self.stdout.write(
            f"{options['file']}: {rows} rows in {len(manifest['counts'])} models, {uploads} uploaded "
            f"files, {manifest['database']} database (version {manifest['version']})."
        )
