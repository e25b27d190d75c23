"""Demo signatories for Cà Mau (the decision's and the summary report's) and the demo CA, so a province
officer can sign the demo round's decision and certificates and check them on /verify/pdf/."""

from khuyencong.geo.models import Province

from . import democa
from .models import Signatory, SignatoryKind


def load(ctx) -> None:
    camau = Province.objects.filter(code=96).first()
    if camau is None:
        return
    Signatory.objects.get_or_create(
        kind=SignatoryKind.DECISION,
        province=camau,
        round=None,
        defaults={
            "issuing_body": "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU",
            "symbol": "QĐ-UBND",
            "place_name": "Cà Mau",
            "decider": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU",
            "authority": "KT. CHỦ TỊCH",
            "title": "PHÓ CHỦ TỊCH",
            "name": "Lâm Văn Bi",
            "recipients": "Như Điều 3\nBộ Công Thương (Cục ĐMST, CĐX và KC)\nChủ tịch, các PCT UBND tỉnh\n"
            "Sở Công Thương\nLưu: VT",
        },
    )
    Signatory.objects.get_or_create(
        kind=SignatoryKind.REPORT,
        province=camau,
        round=None,
        defaults={
            "superior_body": "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU",
            "issuing_body": "SỞ CÔNG THƯƠNG",
            "symbol": "BC-SCT",
            "place_name": "Cà Mau",
            "title": "GIÁM ĐỐC",
            "name": "Nguyễn Văn Đức",
            "recipients": "UBND tỉnh Cà Mau (để báo cáo)\nBộ Công Thương (Cục ĐMST, CĐX và KC)\n"
            "Ban Giám đốc Sở\nLưu: VT, TTKC",
        },
    )
    democa.ensure_demo_ca()
    ctx["say"]("Documents: Cà Mau's signatories (decision, report) and the demo signing CA")
