import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from khuyencong.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the Cà Mau demo data (repeatable) and serve the site on http://127.0.0.1:8000 (or --addrport, "
        "or 127.0.0.1:$PORT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="only load the data")
        parser.add_argument(
            "--addrport",
            default=f"127.0.0.1:{os.environ.get('PORT') or 8000}",
            help="address and port to serve on (default 127.0.0.1:8000, or 127.0.0.1:$PORT)",
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD}):"))
        for username, full_name, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role.label:<32} {full_name}")
        if not options["no_serve"]:
            self.stdout.write(
                self.style.SUCCESS(f"\nServing on http://{options['addrport']}/  (Ctrl+C to stop)")
            )
            call_command("serve", addrport=options["addrport"])
