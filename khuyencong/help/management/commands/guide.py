"""Regenerate the user guide's screenshots from the real pages.

    make guide    # a fresh SQLite database in a temporary folder, the demo loaded, every role, both languages

or, against the database configured (it must hold the demo):

    khuyencong guide [--load-demo] [--role province-officer ...] [--lang vi] [--out DIR]

The site is served from this process on a free local port (static files included) while Chromium logs in
as each role's demo account and photographs each task's page (`help.capture`).

With --load-demo (a throwaway database), the roles whose tasks show a score sheet (the council member) are
photographed last, after a demo round is brought into scoring through the selection services
(`help.services.open_scoring_for`); against another database nothing is written and their score step shows
the selection page.
"""

import threading
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler, get_internal_wsgi_application

from khuyencong.core.demo import DEMO_PASSWORD
from khuyencong.help.capture import capture
from khuyencong.help.guide import GUIDES
from khuyencong.help.services import SCORING_SCREENS, open_scoring_for
from khuyencong.help.shots import LANGUAGES, SHOTS_DIR


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class Command(BaseCommand):
    help = "Take the user guide's screenshots from the real pages, as each demo role, in both languages."

    def add_arguments(self, parser):
        parser.add_argument("--load-demo", action="store_true", help="migrate and load the demo first")
        parser.add_argument(
            "--role", action="append", help="a guide's slug (e.g. province-officer); repeatable"
        )
        parser.add_argument("--lang", action="append", choices=LANGUAGES, help="vi or en; repeatable")
        parser.add_argument(
            "--out", default=str(SHOTS_DIR), help="folder of the screenshots (default: the app's)"
        )
        parser.add_argument("--password", default=DEMO_PASSWORD, help="the demo accounts' password")
        parser.add_argument(
            "--port", type=int, default=0, help="local port to serve on (default: any free one)"
        )

    def handle(self, *args, **options):
        if options["load_demo"]:
            call_command("migrate", verbosity=0)
            call_command("demo", "--no-serve", stdout=self.stdout)
        server = ThreadedWSGIServer(("127.0.0.1", options["port"]), QuietHandler, allow_reuse_address=True)
        server.set_app(StaticFilesHandler(get_internal_wsgi_application()))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self.stdout.write(f"Serving {base_url}; screenshots into {options['out']}")
        wanted = options["role"] or [g.slug for g in GUIDES]
        # In the demo just loaded (a throwaway database), scoring is opened for the roles that photograph a
        # score sheet, after every other role is photographed as the demo stands.
        scoring = [g for g in GUIDES if g.slug in wanted and _scores(g)] if options["load_demo"] else []
        batches = [[s for s in wanted if s not in {g.slug for g in scoring}], [g.slug for g in scoring]]
        written = []
        try:
            for number, roles in enumerate(batches):
                if not roles:
                    continue
                if number:
                    self._open_scoring(scoring)
                written += capture(
                    base_url,
                    Path(options["out"]),
                    roles=roles,
                    languages=options["lang"] or LANGUAGES,
                    password=options["password"],
                    log=self.stdout.write,
                )
        except (RuntimeError, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            server.shutdown()
            server.server_close()
        size = sum(path.stat().st_size for path in written)
        self.stdout.write(self.style.SUCCESS(f"{len(written)} screenshots, {size / 1024 / 1024:.2f} MB"))

    def _open_scoring(self, guides) -> None:
        for guide in guides:
            judge = get_user_model().objects.filter(username=guide.demo_user).first()
            round_ = open_scoring_for(judge) if judge else None
            if round_ is not None:
                self.stdout.write(f"Scoring opened in {round_.code} for {guide.slug}'s score sheet")


def _scores(guide) -> bool:
    return any(task.screen in SCORING_SCREENS for task in guide.tasks)
