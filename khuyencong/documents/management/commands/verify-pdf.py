"""`khuyencong verify-pdf FILE`: is this the genuine signed decision or certificate? Offline: the register
(database) and the configured trust roots, no network. Exit code 0 genuine, 1 not genuine, 2 unreadable."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khuyencong.documents import selectors


class Command(BaseCommand):
    help = "Check that a PDF is a genuine signed decision or certificate of this register (exit 0 if so)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def handle(self, *args, file, **options):
        translation.activate(options.get("language") or "vi")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}, returncode=2
            ) from exc
        result = selectors.verify_pdf(data)
        doc, check = result.document, result.check
        out = self.stdout
        verdicts = {
            "genuine": _("GENUINE: the signed document as issued; its digital signature is valid."),
            "unsigned": _("NOT SIGNED: the document as issued, without its digital signature."),
            "altered": _("NOT GENUINE: one of our documents, but changed or signed by someone else."),
            "unknown": _("NOT FOUND: not a document issued by this register."),
        }
        out.write(verdicts[result.verdict])
        out.write(f"SHA-256: {result.sha256}")
        if doc is not None:
            out.write(
                _("Document: %(kind)s %(number)s — %(round)s")
                % {"kind": doc.get_kind_display(), "number": doc.number, "round": doc.round.title}
            )
            if result.certificate_status:
                out.write(
                    _("Certificate status: %(status)s")
                    % {
                        "status": {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}[
                            result.certificate_status
                        ]
                    }
                )
        if result.genuine:
            out.write(
                _("Signed by: %(name)s (certificate issued by %(issuer)s), %(when)s")
                % {
                    "name": doc.signer_name,
                    "issuer": doc.signer_issuer,
                    "when": timezone.localtime(doc.signed_at).strftime("%d/%m/%Y %H:%M")
                    if doc.signed_at
                    else "—",
                }
            )
        for problem in check.problems if check else []:
            out.write(f"  - {problem}")
        if not result.genuine or result.certificate_status == "revoked":
            sys.exit(1)
