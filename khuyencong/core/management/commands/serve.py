from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site: Django's server in development (DEBUG), gunicorn otherwise."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        if settings.DEBUG:
            call_command("runserver", options["addrport"], use_reloader=False)
            return
        import sys

        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", "khuyencong.wsgi:application", "--bind", options["addrport"], "--workers",
                    str(options["workers"])]
        run()
