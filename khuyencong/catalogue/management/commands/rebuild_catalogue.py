from django.core.management.base import BaseCommand

from khuyencong.catalogue.services import rebuild_catalogue


class Command(BaseCommand):
    help = (
        "Rebuild the public catalogue's read model (best certification, place, search text of every product)."
    )

    def handle(self, *args, **options):
        n = rebuild_catalogue()
        self.stdout.write(f"{n} products in the catalogue.")
