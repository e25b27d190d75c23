"""Issue 16, retyping, in the browser: choosing one thing fills or narrows the next (htmx)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_choices_fill_and_narrow_the_next_fields(page, login):
    from khuyencong.geo.models import LegacyDistrict, LegacyProvince
    from khuyencong.geo.services import load_places
    from tests.outreach.factories import make_event
    from tests.selection.factories import make_round

    load_places()
    officer = make_user("province_officer", username="sct")
    est = EstablishmentFactory(
        name="Cơ sở Khô mực Sông Đốc", province_id=96, commune_id=32098, markets="Co.opmart", workers=23
    )
    product = ProductFactory(name="Khô mực một nắng", establishment=est)
    ProductFactory(name="Tôm khô Đầm Dơi")
    event = make_event(officer, title="Hội chợ Cà Mau")
    round_ = make_round()
    login("sct")

    # the dossier: choosing the product fills markets and workers from the registry
    page.goto(page.base_url + f"/selection/rounds/{round_.pk}/register/")
    page.locator("#id_product").select_option(str(product.pk))
    expect(page.get_by_test_id("prefilled")).to_be_visible()
    expect(page.locator("#id_workers")).to_have_value("23")

    # the project: choosing the beneficiary places it at the establishment's commune
    page.goto(page.base_url + "/programme/projects/new/")
    page.locator("#id_title").fill("Máy sấy mực")
    page.locator("#id_establishment").select_option(str(est.pk))
    expect(page.locator("#id_commune")).to_have_value("32098")
    expect(page.locator("#id_title")).to_have_value("Máy sấy mực")

    # the fair: the chosen establishment's products, as checkboxes
    page.goto(page.base_url + f"/outreach/events/{event.pk}/")
    page.get_by_text("Thêm cơ sở").click()
    page.locator("#id_establishment").select_option(str(est.pk))
    expect(page.get_by_label("Khô mực một nắng")).to_be_visible()
    expect(page.get_by_text("Tôm khô Đầm Dơi")).to_have_count(0)
    page.get_by_label("Khô mực một nắng").check()
    page.locator('form[action$="/participants/"] button.btn-primary').click()
    expect(page.get_by_test_id(f"participant-{est.code}")).to_contain_text("Khô mực một nắng")

    # the establishment: the former provinces and districts of the chosen province only
    page.goto(page.base_url + "/registry/establishments/new/")
    page.locator("#id_province").select_option("92")
    former = LegacyProvince.objects.filter(successor_id=92)
    expect(page.locator("#id_legacy_province option")).to_have_count(former.count() + 1)
    first = former.exclude(districts=None).first()
    page.locator("#id_legacy_province").select_option(str(first.pk))
    expect(page.locator("#id_legacy_district option")).to_have_count(
        LegacyDistrict.objects.filter(legacy_province=first).count() + 1
    )


def test_points_above_the_maximum_are_flagged_as_they_are_typed(page, login):
    from khuyencong.geo.services import load_places
    from tests.selection.factories import assign, make_dossier, make_round, seat

    load_places()
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_, username="giamkhao")
    assign(member, dossier)
    criterion = round_.rubric.criteria.order_by("pk").first()
    maximum = criterion.max_for(dossier.product.group)
    login("giamkhao")
    page.goto(page.base_url + f"/selection/dossiers/{dossier.pk}/score/")
    field = page.locator(f"#c_{criterion.pk}")
    field.fill(str(maximum + 5))
    expect(page.locator(f"#err_{criterion.pk}")).to_contain_text(f"{criterion.code}:")
    expect(field).to_have_class(re.compile("is-invalid"))
    field.fill("1")
    expect(page.locator(f"#err_{criterion.pk}")).to_have_text("")
    expect(field).not_to_have_class(re.compile("is-invalid"))
