from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from khuyencong.api import services
from khuyencong.api.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USERNAME (printed once), list their tokens, or revoke one by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for")
        parser.add_argument("--list", action="store_true", help="List the user's tokens instead")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the user's token starting with PREFIX")

    def handle(self, *args, username, name, list, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if list:
            for t in ApiToken.objects.filter(user=user):
                state = "revoked" if t.revoked_at else "active"
                self.stdout.write(f"{t.prefix}…  {state:8} {t.created_at:%Y-%m-%d}  {t.name}")
            return
        if revoke:
            tokens = ApiToken.objects.filter(user=user, prefix__startswith=revoke, revoked_at__isnull=True)
            if tokens.count() != 1:
                raise CommandError(
                    f"{tokens.count()} active tokens of {username} start with {revoke!r}: give a longer prefix."
                )
            services.revoke_token(user=user, token=tokens.get())
            self.stdout.write(self.style.SUCCESS("Revoked."))
            return
        try:
            _token, raw = services.create_token(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(raw)
