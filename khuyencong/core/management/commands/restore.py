from django.core.management.base import BaseCommand, CommandError

from khuyencong.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into this installation's database (SQLite or PostgreSQL, "
        "whichever the archive came from) and upload folders. Refuses a damaged archive, one made by a newer "
        "version, and a database that is not empty (unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="replace whatever the database and the upload folders hold"
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="afterwards, compare every model's row count and every file's SHA-256 with the manifest",
        )

    def handle(self, *args, **options):
        try:
            restore_backup(
                options["file"], force=options["force"], verify=options["verify"], log=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {options['file']}")
