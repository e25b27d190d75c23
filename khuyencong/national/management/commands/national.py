"""`khuyencong national export-registration|import-registration|export-allocation|import-allocation ...`: the
signed files between a province's own instance and the Ministry's (national.exchange), from the command line.

    khuyencong national export-registration --province 96 --year 2026 FILE.json --user sct.camau
    khuyencong national import-registration FILE.json --user cuc.khuyencong        (at the Ministry)
    khuyencong national export-allocation --province 96 --year 2026 FILE.json --user cuc.khuyencong
    khuyencong national import-allocation FILE.json --user sct.camau                (at the province)
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from khuyencong.national import exchange
from khuyencong.national.models import Registration

OUTCOMES = {
    "created": "received",
    "updated": "updated (a later revision or issue)",
    "unchanged": "already received: nothing changed",
}


class Command(BaseCommand):
    requires_system_checks = []
    help = "Export or import the national plan's signed exchange files (registration, allocation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("export-registration", "export-allocation"):
            p = sub.add_parser(name)
            p.add_argument("--province", required=True, help="province code, e.g. 96")
            p.add_argument("--year", required=True, type=int)
            p.add_argument("file")
            p.add_argument("--user", required=True, help="who exports (recorded and checked)")
        for name in ("import-registration", "import-allocation"):
            p = sub.add_parser(name)
            p.add_argument("file")
            p.add_argument(
                "--user", required=True, help="who imports (recorded in the audit log and checked)"
            )

    def handle(self, *args, action, file, user, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user “{user}”")
        with translation.override("en"):
            try:
                if action.startswith("export-"):
                    self._export(action, actor, options["province"], options["year"], Path(file))
                else:
                    self._import(action, actor, Path(file))
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                raise CommandError("refused: " + " ".join(messages)) from exc
            except OSError as exc:
                raise CommandError(str(exc)) from exc

    def _export(self, action, actor, province, year, path):
        registration = (
            Registration.objects.select_related("province").filter(province__code=province, year=year).first()
        )
        if registration is None:
            raise CommandError(f"no registration of province {province} for {year}")
        if action == "export-registration":
            content = exchange.export_registration(user=actor, registration=registration)
        else:
            content = exchange.export_allocation(user=actor, registration=registration)
        path.write_bytes(content)
        self.stdout.write(f"{path}: {registration.province} {year}, revision {registration.revision}")

    def _import(self, action, actor, path):
        content = path.read_bytes()
        if action == "import-registration":
            registration, outcome = exchange.import_registration(user=actor, content=content)
        else:
            registration, outcome = exchange.import_allocation(user=actor, content=content)
        self.stdout.write(f"{registration.province} {registration.year}: {OUTCOMES[outcome]}")
