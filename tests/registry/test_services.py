import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from khuyencong.core.demo import tax_code
from khuyencong.registry import selectors, services
from khuyencong.registry.models import Establishment, validate_tax_code
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


def data(**kw):
    base = {
        "code": "CM-900",
        "name": "Cơ sở Khô mực Bà Tư",
        "kind": "household",
        "tax_code": tax_code("200999001"),
        "province": _province(96),
        "commune": _commune(32098),
    }
    base.update(kw)
    return base


def _province(code):
    from khuyencong.geo.models import Province

    return Province.objects.get(code=code)


def _commune(code):
    from khuyencong.geo.models import Commune

    return Commune.objects.get(code=code)


def test_valid_tax_codes_pass_and_wrong_check_digits_fail():
    good = tax_code("200123456")
    validate_tax_code(good)
    validate_tax_code(good + "-001")
    bad = good[:9] + str((int(good[9]) + 1) % 10)
    with pytest.raises(ValidationError, match="chữ số kiểm tra"):
        validate_tax_code(bad)
    with pytest.raises(ValidationError, match="10 chữ số"):
        validate_tax_code("12345")


def test_an_officer_registers_an_establishment_and_the_audit_names_them(officer):
    est = services.create_establishment(user=officer, data=data())
    entry = LogEntry.objects.get_for_object(est).get()
    assert entry.actor == officer and entry.action == LogEntry.Action.CREATE


def test_a_second_establishment_with_the_same_tax_code_is_refused_naming_the_first(officer):
    first = EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    with pytest.raises(ValidationError) as exc:
        services.create_establishment(user=officer, data=data(tax_code=first.tax_code))
    assert "Công ty Khô mực Sông Đốc" in str(exc.value.message_dict["tax_code"])
    assert Establishment.objects.count() == 1


def test_a_commune_not_in_the_province_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        services.create_establishment(user=officer, data=data(commune=_commune(31135)))
    assert "commune" in exc.value.message_dict


def test_a_commune_officer_registers_only_in_their_commune(commune_officer):
    services.create_establishment(user=commune_officer, data=data())
    with pytest.raises(PermissionDenied):
        services.create_establishment(
            user=commune_officer, data=data(code="CM-901", tax_code=None, commune=_commune(32152))
        )


def test_an_officer_of_another_province_cannot_register_here():
    cantho = make_user("province_officer", province_id=92)
    with pytest.raises(PermissionDenied):
        services.create_establishment(user=cantho, data=data())


def test_an_edit_is_recorded_with_the_field_change(officer):
    est = EstablishmentFactory(name="Cơ sở A")
    services.update_establishment(user=officer, establishment=est, data={"name": "Cơ sở A mới"})
    entry = LogEntry.objects.get_for_object(est).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["Cơ sở A", "Cơ sở A mới"]
    assert entry.actor == officer


def test_archiving_keeps_the_record_and_hard_delete_is_refused(officer):
    est = EstablishmentFactory()
    services.archive_establishment(user=officer, establishment=est)
    est.refresh_from_db()
    assert est.is_archived
    with pytest.raises(Exception, match="không bao giờ bị xóa"):
        est.delete()


def test_a_representative_changes_only_the_public_profile():
    est = EstablishmentFactory(name="Công ty X")
    rep = make_user("establishment", establishment=est)
    services.update_establishment(
        user=rep, establishment=est, data={"name": "Hacked", "phone": "0909 000 111"}
    )
    est.refresh_from_db()
    assert est.name == "Công ty X" and est.phone == "0909 000 111"


def test_similar_names_at_the_same_commune_are_possible_duplicates():
    existing = EstablishmentFactory(name="Hộ kinh doanh Nguyễn Văn Tài", commune_id=32098)
    EstablishmentFactory(name="Hộ kinh doanh Nguyễn Văn Tài", commune_id=32152)
    found = selectors.possible_duplicates(name="HKD Nguyen Van Tai", province_id=96, commune_id=32098)
    assert found == [existing]
    assert selectors.possible_duplicates(name="Công ty Bánh tráng", province_id=96, commune_id=32098) == []


def test_search_ignores_diacritics_and_case(officer):
    ProductFactory(name="Khô mực câu Sông Đốc")
    ProductFactory(name="Máy cho tôm ăn tự động")
    assert [p.name for p in selectors.product_list(officer, query="kho muc")] == ["Khô mực câu Sông Đốc"]
    assert [p.name for p in selectors.product_list(officer, query="MAY CHO TOM AN")] == [
        "Máy cho tôm ăn tự động"
    ]


def test_establishment_search_finds_by_unaccented_name(officer):
    EstablishmentFactory(name="Công ty TNHH Khô mực Sông Đốc")
    assert selectors.establishment_list(officer, query="kho muc").count() == 1
    assert selectors.establishment_list(officer, query="kho tom").count() == 0
