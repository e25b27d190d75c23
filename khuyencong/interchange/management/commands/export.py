"""`khuyencong export establishments|products|projects|results|villages|artisans FILE.xlsx|.csv [filters]`."""

import os

from django.core.management.base import BaseCommand, CommandError

from khuyencong.interchange.columns import KINDS
from khuyencong.interchange.exporters import export, queryset_for


class Command(BaseCommand):
    requires_system_checks = []  # a data command: it must not fail on an unrelated URL or admin check
    help = "Export records as a file of the interchange spec (the same columns the import reads)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", help="FILE.xlsx or FILE.csv")
        parser.add_argument("--province", help="today's or a former province, by code or name")
        parser.add_argument("--from", dest="from_", type=int, help="first year (projects, results)")
        parser.add_argument("--to", type=int, help="last year (projects, results)")
        parser.add_argument("--status")
        parser.add_argument("--programme")
        parser.add_argument("--level")
        parser.add_argument(
            "--english",
            action="store_true",
            help="English column keys and codes instead of Vietnamese labels",
        )

    def handle(self, *args, kind, file, english, **options):
        fmt = os.path.splitext(file)[1].lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("FILE must end in .xlsx or .csv")
        params = {
            "province": options["province"],
            "from": options["from_"],
            "to": options["to"],
            "status": options["status"],
            "programme": options["programme"],
            "level": options["level"],
        }
        qs = queryset_for(kind, None, params)
        count = qs.count()
        export(kind, qs, file, fmt, "en" if english else "vi")
        self.stdout.write(f"{count} {kind} written to {file}.")
