"""A decided province round with certificates, and signing material: the demo CA (trusted) and a stranger CA."""

import datetime
from io import BytesIO
from pathlib import Path

from khuyencong.documents import democa
from khuyencong.selection import services
from khuyencong.selection.models import Certificate
from tests.selection.test_views import _approved_round


def decided_round(officer, decision_no="15/QĐ-UBND"):
    round_, _d, _m = _approved_round(officer)
    services.record_decision(
        user=officer,
        round_=round_,
        decision_no=decision_no,
        decision_date=datetime.date(2026, 12, 20),
        signer="Lâm Văn Bi",
    )
    round_.refresh_from_db()
    return round_, Certificate.objects.get(result__round=round_)


def stranger_p12(folder: Path) -> Path:
    """A certificate from a CA nobody configured: its signatures must not be trusted."""
    _root, p12 = democa.make_ca(
        folder, root_name="Stranger Root", signer_name="Kẻ giả mạo", org="Không rõ", passphrase="x"
    )
    return p12


def sign_with(data: bytes, p12: Path, passphrase: bytes) -> bytes:
    """Sign as an outside tool would (an incremental update by pyHanko, another key)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase)
    meta = signers.PdfSignatureMetadata(field_name="Token", subfilter=fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(data)), meta, signer=signer).getvalue()
