"""`khuyencong report summary [--province P] [--from Y] [--to Y] --format json|text|xlsx|pdf [--output FILE]`."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from khuyencong.reports import rendering, selectors


class Command(BaseCommand):
    requires_system_checks = []  # a read-only data command
    help = "The programme summary of a place and period (the figures a department publishes)."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["summary"])
        parser.add_argument(
            "--province", help="today's or a former province, by code or name (default: the country)"
        )
        parser.add_argument("--from", dest="from_year", type=int)
        parser.add_argument("--to", dest="to_year", type=int)
        parser.add_argument("--format", choices=["json", "text", "xlsx", "pdf"], default="text")
        parser.add_argument(
            "--language",
            choices=["vi", "en"],
            default="vi",
            help="language of the workbook's labels (default: vi; the text and the PDF are always Vietnamese)",
        )
        parser.add_argument(
            "--output", help="file to write (required for xlsx and pdf unless stdout is redirected)"
        )

    def handle(self, *args, report, province, from_year, to_year, format, output, language, **options):
        with translation.override(language):
            self._handle(province, from_year, to_year, format, output)

    def _handle(self, province, from_year, to_year, format, output):
        try:
            place = selectors.place_for(province)
        except selectors.PlaceNotFound as exc:
            raise CommandError(str(exc)) from exc
        period = selectors.Period(from_year, to_year)
        if format in ("json", "text"):
            summary = selectors.summary(place, period)
            if format == "json":
                summary.pop("settled_projects", None)
                text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
            else:
                text = rendering.as_text(summary, place)
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                self.stdout.write(text, ending="")
            return
        content = rendering.as_xlsx(place, period) if format == "xlsx" else rendering.as_pdf(place, period)
        if output:
            with open(output, "wb") as fh:
                fh.write(content)
            self.stderr.write(f"written {output} ({len(content)} bytes)")
        elif not sys.stdout.isatty():
            sys.stdout.buffer.write(content)
        else:
            raise CommandError(f"--output FILE is needed for --format {format}")
