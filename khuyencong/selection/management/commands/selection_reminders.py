from django.core.management.base import BaseCommand

from khuyencong.selection.services import send_reminders


class Command(BaseCommand):
    help = "Remind establishments and council members of registration and scoring deadlines within N days (default 3)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        sent = send_reminders(days=days)
        self.stdout.write(f"{sent} reminder(s) sent")
