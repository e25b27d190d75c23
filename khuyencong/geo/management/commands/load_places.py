from django.core.management.base import BaseCommand

from khuyencong.geo.services import load_places


class Command(BaseCommand):
    help = "Load Vietnam's provinces, communes, former provinces and districts, and regions (repeatable)."

    def handle(self, *args, **options):
        counts = load_places()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
