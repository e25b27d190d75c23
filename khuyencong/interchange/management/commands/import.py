"""`khuyencong import establishments|products|projects|results|villages|artisans FILE [--dry-run]`."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from khuyencong.interchange.columns import KINDS
from khuyencong.interchange.services import import_file


class ProgressBar:
    """A one-line progress bar on stderr."""

    def __init__(self, stream=sys.stderr, width=30):
        self.stream = stream
        self.width = width

    def __call__(self, phase: str, done: int, total: int | None):
        label = {"validate": "checking", "write": "writing "}[phase]
        if total:
            share = min(done / total, 1)
            filled = int(share * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{label} [{bar}] {share:4.0%} {done}/{total} rows")
        else:
            self.stream.write(f"\r{label} {done} rows")
        self.stream.flush()

    def end(self):
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    requires_system_checks = []  # a data command: it must not fail on an unrelated URL or admin check
    help = "Import a file of the interchange spec (CSV or XLSX). Nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--user", help="username recorded in the audit log (default: the first superuser)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, kind, file, dry_run, user, no_progress, **options):
        User = get_user_model()
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user “{user}”")
        else:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        bar = None if no_progress else ProgressBar(self.stderr._out)
        with translation.override("en"):
            try:
                report = import_file(user=actor, kind=kind, path=file, dry_run=dry_run, progress=bar)
            except OSError as exc:
                raise CommandError(str(exc)) from exc
            finally:
                if bar:
                    bar.end()
            for warning in report.notices:
                self.stderr.write(f"warning: {warning}")
            for error in report.errors:
                self.stderr.write(str(error))
            summary = (
                f"{kind}: {report.rows} rows; {report.created} to create, {report.updated} to update, "
                f"{report.unchanged} unchanged"
            )
            if report.errors:
                bad_rows = len(report.error_rows())
                self.stderr.write(
                    f"{summary}; {len(report.errors)} errors in {bad_rows} rows: nothing written."
                )
                raise SystemExit(1)
            if dry_run:
                self.stdout.write(f"{summary}. Dry run: nothing written.")
            else:
                verb = summary.replace("to create", "created").replace("to update", "updated")
                extra = (
                    f"; {report.rounds_created} historical rounds created" if report.rounds_created else ""
                )
                self.stdout.write(f"{verb}{extra}.")
