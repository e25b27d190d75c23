"""The four files of the interchange spec, and the beneficiaries' two beyond it: their columns (English key,
Vietnamese label, required) in file order."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from khuyencong.core.text import fold_key


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False


SPECS: dict[str, list[Column]] = {
    "establishments": [
        Column("code", "Mã cơ sở", True),
        Column("name", "Tên cơ sở", True),
        Column("kind", "Loại hình", True),
        Column("tax_code", "Mã số thuế"),
        Column("province", "Tỉnh/Thành phố", True),
        Column("commune", "Xã/Phường"),
        Column("address", "Địa chỉ"),
        Column("phone", "Điện thoại"),
        Column("email", "Email"),
        Column("workers", "Số lao động"),
        Column("founded", "Năm thành lập"),
        # optional, beyond the spec: priority of Decree 235/2025/NĐ-CP (docs/interchange-beneficiaries.md)
        Column("women_owned", "Do phụ nữ làm chủ"),
        Column("ethnic_minority_owned", "Do người dân tộc thiểu số làm chủ"),
        Column("disadvantaged_commune", "Tại xã khó khăn"),
        Column("priority_evidence", "Căn cứ ưu tiên"),
    ],
    "products": [
        Column("code", "Mã sản phẩm", True),
        Column("establishment", "Mã cơ sở", True),
        Column("name", "Tên sản phẩm", True),
        Column("group", "Nhóm sản phẩm", True),
        Column("description", "Mô tả"),
        # optional: the product's OCOP rating (docs/interchange-ocop.md); all empty = no rating in the file
        Column("ocop_stars", "Số sao OCOP"),
        Column("ocop_level", "Cấp đánh giá OCOP"),
        Column("ocop_decision_no", "Số quyết định OCOP"),
        Column("ocop_decision_date", "Ngày quyết định OCOP"),
        Column("ocop_valid_until", "OCOP hiệu lực đến"),
    ],
    "projects": [
        Column("code", "Mã đề án", True),
        Column("year", "Năm", True),
        Column("title", "Tên đề án", True),
        Column("programme", "Nguồn kinh phí", True),
        Column("activity", "Nội dung hoạt động", True),
        Column("establishment", "Mã cơ sở"),
        Column("province", "Tỉnh/Thành phố", True),
        Column("commune", "Xã/Phường"),
        Column("support_approved", "Kinh phí hỗ trợ được duyệt", True),
        Column("support_settled", "Kinh phí hỗ trợ quyết toán"),
        Column("counterpart", "Vốn đối ứng"),
        Column("jobs", "Lao động thu hút"),
        Column("status", "Trạng thái", True),
        # optional outcome counts beyond the spec's columns (the establishment's journey reads them)
        Column("machines", "Máy móc thiết bị"),
        Column("trainees", "Người được đào tạo"),
        # optional, beyond the spec (docs/interchange-beneficiaries.md): the beneficiary when it is a craft
        # village or an artisan, and the approval whose date decides the rules the project is held to
        Column("craft_village", "Mã làng nghề"),
        Column("artisan", "Mã nghệ nhân"),
        Column("total_cost", "Tổng kinh phí"),
        Column("decision_no", "Số quyết định phê duyệt"),
        Column("decision_date", "Ngày quyết định phê duyệt"),
    ],
    "results": [
        Column("round", "Kỳ bình chọn", True),
        Column("level", "Cấp", True),
        Column("product", "Mã sản phẩm", True),
        Column("score", "Điểm"),
        Column("certified", "Đạt", True),
        Column("certificate_no", "Số giấy chứng nhận"),
        Column("decision_no", "Số quyết định"),
        Column("decision_date", "Ngày quyết định"),
    ],
    # beyond the spec: the beneficiaries of Decree 235/2025/NĐ-CP (docs/interchange-beneficiaries.md)
    "villages": [
        Column("code", "Mã làng nghề", True),
        Column("name", "Tên làng nghề", True),
        Column("trade", "Ngành nghề", True),
        Column("recognition_no", "Số quyết định công nhận", True),
        Column("recognition_date", "Ngày quyết định công nhận", True),
        Column("recognised_by", "Cơ quan công nhận"),
        Column("households", "Số hộ", True),
        Column("workers", "Số lao động"),
        Column("province", "Tỉnh/Thành phố", True),
        Column("commune", "Xã/Phường"),
        Column("address", "Địa bàn (thôn, ấp)"),
        Column("description", "Mô tả"),
        Column("establishments", "Mã các cơ sở"),
    ],
    "artisans": [
        Column("code", "Mã nghệ nhân", True),
        Column("name", "Họ và tên", True),
        Column("title", "Danh hiệu", True),
        Column("title_year", "Năm phong tặng", True),
        Column("trade", "Ngành nghề", True),
        Column("birth_year", "Năm sinh"),
        Column("establishment", "Mã cơ sở"),
        Column("craft_village", "Mã làng nghề"),
        Column("province", "Tỉnh/Thành phố", True),
        Column("commune", "Xã/Phường"),
        Column("description", "Mô tả"),
    ],
}

KINDS = list(SPECS)


def kind_label(kind: str) -> str:
    return {
        "establishments": _("Establishments"),
        "products": _("Products"),
        "projects": _("Support projects"),
        "results": _("Selection results"),
        "villages": _("Craft villages"),
        "artisans": _("Artisans"),
    }[kind]


@dataclass
class HeaderMatch:
    index: dict[str, int]  # column key -> position in the file
    names: dict[str, str]  # column key -> the header as the file writes it
    unknown: list[str]
    missing: list[Column]
    duplicates: list[str]


def match_header(header: list[str], kind: str) -> HeaderMatch:
    """Match the file's column names to the spec's, ignoring case, diacritics, spaces and underscores."""
    lookup = {}
    for column in SPECS[kind]:
        lookup[fold_key(column.key)] = column.key
        lookup[fold_key(column.label)] = column.key
    index, names, unknown, duplicates = {}, {}, [], []
    for position, name in enumerate(header):
        if not name:
            continue
        key = lookup.get(fold_key(name))
        if key is None:
            unknown.append(name)
        elif key in index:
            duplicates.append(name)
        else:
            index[key] = position
            names[key] = name
    missing = [c for c in SPECS[kind] if c.required and c.key not in index]
    return HeaderMatch(index, names, unknown, missing, duplicates)
