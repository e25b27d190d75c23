from django.core.management.base import BaseCommand

from khuyencong.notifications.services import send_reminders


class Command(BaseCommand):
    help = "Remind users of the deadlines within N days (default 3) that each area registers (selection: registration, scoring)."  # noqa: E501

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        sent = send_reminders(days=days)
        self.stdout.write(f"{sent} reminder(s) sent")
