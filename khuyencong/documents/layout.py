"""The decision, its annex and each certificate in Decree 30's layout (core.pdf), with their signatory.

Who signs comes from a `Signatory` configured for the round, else for its province (the organisation),
else from defaults that follow the level: a province's people's committee for province rounds, the
Ministry's agency for region rounds, the Ministry for national rounds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import segno

from khuyencong.core.links import absolute_url
from khuyencong.core.pdf import Letterhead, SignatureBlock, render_pdf, vn_date
from khuyencong.registry.models import GROUP_LABELS_VI
from khuyencong.selection.models import LEVEL_LABELS_VI, Certificate, Round

from .models import Signatory, SignatoryKind

AGENCY = "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"
AGENCY_SHORT = "Cục ĐMST, CĐX và KC"

# The legal basis of a decision, by the date it is signed: (in force from, text). A decision cites what was in
# force on its date, so a 2024 decision does not cite the 2025 amendments.
LEGAL_BASIS_RULES = [
    (None, datetime.date(2025, 7, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"),
    (datetime.date(2025, 7, 1), None, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"),
    (
        None,
        datetime.date(2025, 10, 15),
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công",
    ),
    (
        datetime.date(2025, 10, 15),
        None,
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công, được sửa đổi, "
        "bổ sung bởi Nghị định số 235/2025/NĐ-CP",
    ),
    (
        None,
        datetime.date(2025, 7, 1),
        "Căn cứ Thông tư số 26/2014/TT-BCT ngày 28 tháng 8 năm 2014 của Bộ trưởng Bộ Công Thương quy định về "
        "việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu, được sửa đổi, bổ sung bởi Thông tư số "
        "14/2018/TT-BCT",
    ),
    (
        datetime.date(2025, 7, 1),
        None,
        "Căn cứ Thông tư số 26/2014/TT-BCT ngày 28 tháng 8 năm 2014 của Bộ trưởng Bộ Công Thương quy định về "
        "việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu, được sửa đổi, bổ sung bởi Thông tư số "
        "14/2018/TT-BCT và Thông tư số 38/2025/TT-BCT",
    ),
]


def legal_basis(on: datetime.date | None, *, local_government: bool = True) -> list[str]:
    """The bases in force on a decision's date (today when it has none yet)."""
    on = on or datetime.date.today()
    lines = [
        text
        for start, end, text in LEGAL_BASIS_RULES
        if (start is None or on >= start) and (end is None or on < end)
    ]
    return lines if local_government else lines[1:]


@dataclass
class Issuer:
    """Everything a document needs about who issues and signs it."""

    superior: str
    body: str
    symbol: str
    place: str
    title: str
    authority: str = ""
    name: str = ""
    decider: str = ""
    recipients: list[str] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)

    def letterhead(self, number: str = "", date=None, symbol: str | None = None) -> Letterhead:
        return Letterhead(
            body=self.body,
            superior=self.superior,
            number=number,
            symbol=self.symbol if symbol is None else symbol,
            place=self.place,
            date=date,
        )

    def signature(self) -> SignatureBlock:
        return SignatureBlock(
            title=self.title, name=self.name, authority=self.authority, recipients=self.recipients
        )


def _place_of(round_: Round):
    commune = getattr(round_, "commune", None)
    return commune or round_.province or round_.legacy_province


def full_name(place) -> str:
    """A place as a letterhead writes it: "Tỉnh Cà Mau", "Thành phố Cần Thơ", "Xã An Trạch"."""
    name = getattr(place, "name", str(place))
    kind = (getattr(place, "division_type", "") or "").strip()
    if kind and not name.lower().startswith(kind.split()[0].lower()):
        words = "Thành phố" if kind.startswith("thành phố") else kind.capitalize()
        return f"{words} {name}"
    return name


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def default_issuer(kind: str, *, round_: Round | None = None, province=None) -> Issuer:
    """The issuer when nothing is configured: by the round's level, or the report's place."""
    level = round_.level if round_ else ("province" if province else "national")
    place = _place_of(round_) if round_ else province
    if kind == SignatoryKind.REPORT:
        if province is not None:
            name = full_name(province)
            return Issuer(
                superior=f"ỦY BAN NHÂN DÂN\n{name}".upper(),
                body="SỞ CÔNG THƯƠNG",
                symbol="BC-SCT",
                place=province.short_name,
                title="GIÁM ĐỐC",
                recipients=[
                    f"Ủy ban nhân dân {name[:1].lower()}{name[1:]} (để báo cáo)",
                    f"Bộ Công Thương ({AGENCY_SHORT})",
                    "Lưu: VT, KC",
                ],
            )
        return Issuer(
            superior="BỘ CÔNG THƯƠNG",
            body=AGENCY,
            symbol="BC-ĐMST",
            place="Hà Nội",
            title="CỤC TRƯỞNG",
            recipients=["Bộ trưởng (để báo cáo)", "Sở Công Thương các tỉnh, thành phố", "Lưu: VT"],
        )
    signer = (round_.decision_signer if round_ else "") or ""
    if level == "region":
        return Issuer(
            superior="BỘ CÔNG THƯƠNG",
            body=AGENCY,
            symbol="QĐ-ĐMST",
            place="Hà Nội",
            decider=f"CỤC TRƯỞNG {AGENCY}",
            title="CỤC TRƯỞNG",
            name=signer,
            recipients=[
                "Như Điều 3",
                "Bộ trưởng (để báo cáo)",
                "Sở Công Thương các tỉnh trong khu vực",
                "Lưu: VT",
            ],
            legal_basis=legal_basis(round_.decision_date if round_ else None, local_government=False),
        )
    if level == "national" or place is None:
        return Issuer(
            superior="",
            body="BỘ CÔNG THƯƠNG",
            symbol="QĐ-BCT",
            place="Hà Nội",
            decider="BỘ TRƯỞNG BỘ CÔNG THƯƠNG",
            authority="KT. BỘ TRƯỞNG",
            title="THỨ TRƯỞNG",
            name=signer,
            recipients=[
                "Như Điều 3",
                "Bộ trưởng (để báo cáo)",
                "Sở Công Thương các tỉnh, thành phố",
                "Lưu: VT",
            ],
            legal_basis=legal_basis(round_.decision_date if round_ else None, local_government=False),
        )
    name = full_name(place)
    body = f"ỦY BAN NHÂN DÂN\n{name}".upper()
    return Issuer(
        superior="",
        body=body,
        symbol="QĐ-UBND",
        place=getattr(place, "short_name", name),
        decider=f"CHỦ TỊCH ỦY BAN NHÂN DÂN {name}".upper(),
        authority="KT. CHỦ TỊCH",
        title="PHÓ CHỦ TỊCH",
        name=signer,
        recipients=["Như Điều 3", f"Bộ Công Thương ({AGENCY_SHORT})", "Lưu: VT"],
        legal_basis=legal_basis(round_.decision_date if round_ else None),
    )


def issuer_for(kind: str, *, round_: Round | None = None, province=None) -> Issuer:
    """The configured signatory (the round's, else the province's, else the agency's), over the defaults."""
    if round_ is not None and province is None:
        province = round_.province
    found = None
    if round_ is not None:
        found = Signatory.objects.filter(kind=kind, round=round_).first()
    if found is None:
        found = Signatory.objects.filter(kind=kind, round__isnull=True, province=province).first()
    issuer = default_issuer(kind, round_=round_, province=province)
    if found is None:
        return issuer
    return Issuer(
        superior=found.superior_body,
        body=found.issuing_body,
        symbol=found.symbol,
        place=found.place_name,
        title=found.title,
        authority=found.authority,
        name=found.name or issuer.name,
        decider=found.decider or issuer.decider,
        recipients=_lines(found.recipients) or issuer.recipients,
        legal_basis=_lines(found.legal_basis) or issuer.legal_basis,
    )


def _level_words(round_: Round) -> str:
    return LEVEL_LABELS_VI.get(round_.level, round_.level).lower()


def decision_context(round_: Round) -> dict:
    issuer = issuer_for(SignatoryKind.DECISION, round_=round_)
    results = list(
        round_.results.filter(certified=True)
        .select_related("product__establishment__province", "product__establishment__commune", "certificate")
        .order_by("product__group", "-score", "product__name")
    )
    groups = []
    for result in results:
        label = GROUP_LABELS_VI.get(result.product.group, result.product.group)
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "rows": []})
        groups[-1]["rows"].append(result)
    about = f"công nhận sản phẩm công nghiệp nông thôn tiêu biểu {_level_words(round_)} năm {round_.year}"
    return {
        "round": round_,
        "issuer": issuer,
        "letterhead": issuer.letterhead(round_.decision_no, round_.decision_date),
        "signature": issuer.signature(),
        "about": about,
        "groups": groups,
        "count": len(results),
        "decision_ref": f"{issuer.letterhead(round_.decision_no).number_text[4:]} {vn_date(round_.decision_date)}",
        "level_words": _level_words(round_),
        "validity": validity_words(getattr(round_, "certificate_validity_months", None) or 36),
    }


def validity_words(months: int) -> str:
    """Whole years as "3 năm", else months: "18 tháng"."""
    return f"{months // 12} năm" if months % 12 == 0 else f"{months} tháng"


def render_decision_pdf(round_: Round) -> bytes:
    """The decision (Quyết định) recognising the round's certified products, with its annex list."""
    return render_pdf("documents/decision_pdf.html", decision_context(round_))


def verify_url(certificate: Certificate) -> str:
    """SITE_URL, or the address the request came in on (core.links)."""
    return absolute_url(f"/verify/{certificate.number}")


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def certificate_context(certificate: Certificate) -> dict:
    result = certificate.result
    round_ = result.round
    issuer = issuer_for(SignatoryKind.DECISION, round_=round_)
    url = verify_url(certificate)
    decision_no = issuer.letterhead(round_.decision_no).number_text[4:]
    return {
        "certificate": certificate,
        "result": result,
        "round": round_,
        "product": result.product,
        "establishment": result.product.establishment,
        "level_words": _level_words(round_),
        "group_vi": GROUP_LABELS_VI.get(result.product.group, ""),
        "letterhead": issuer.letterhead(certificate.number, certificate.issued_on, symbol=""),
        "signature": SignatureBlock(
            title=issuer.title, name=certificate.signer or issuer.name, authority=issuer.authority
        ),
        "decision_ref": f"{decision_no} {vn_date(round_.decision_date)}" if round_.decision_no else "",
        "verify_url": url,
        "qr": qr_svg(url),
    }


def render_certificate_pdf(certificate: Certificate) -> bytes:
    return render_pdf("documents/certificate_pdf.html", certificate_context(certificate))


def current_pdf(document, render) -> bytes:
    """The PDF to hand out: the signed one once signed, else the one issued, else a fresh render (draft)."""
    if document is not None and document.is_signed and document.signed:
        return document.signed.open("rb").read()
    if document is not None and document.original:
        return document.original.open("rb").read()
    return render()


def certificate_pdf(certificate: Certificate) -> bytes:
    return current_pdf(
        getattr(certificate, "issued_document", None), lambda: render_certificate_pdf(certificate)
    )


def decision_pdf(round_: Round) -> bytes:
    return current_pdf(
        round_.issued_documents.filter(kind="decision").first(), lambda: render_decision_pdf(round_)
    )
