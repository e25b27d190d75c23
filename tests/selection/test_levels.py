"""The 2025 levels (commune → province → region → national), the rules as dated data, the provinces' batches
to region rounds with the working-day deadline, and the rules that held loosely before."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from khuyencong.geo.models import Province
from khuyencong.notifications.models import Notification
from khuyencong.selection import deadlines, selectors, services
from khuyencong.selection.models import (
    BatchStatus,
    BatchTransition,
    Certificate,
    Dossier,
    DossierStatus,
    Result,
    Round,
    RoundStatus,
    RubricVersion,
    RuleSet,
)
from tests.factories import EstablishmentFactory, ProductFactory, make_user

from .factories import make_dossier, make_round, pdf_upload

pytestmark = pytest.mark.django_db

D = datetime.date


# --- working days across Tết (hand-counted from the official calendars) ---------------------------


@pytest.mark.parametrize(
    "start, due",
    [
        # Thu 15 Jan 2026: Tết off Mon 16 – Fri 20 Feb 2026; day 1 is Fri 16 Jan, day 30 Thu 5 Mar
        (D(2026, 1, 15), D(2026, 3, 5)),
        # Fri 15 Jan 2027: Tết off Thu 4 – Wed 10 Feb 2027 (5 working days); day 30 is Fri 5 Mar
        (D(2027, 1, 15), D(2027, 3, 5)),
        # no holiday between: Mon 1 Jun 2026 → Mon 13 Jul 2026 (six weeks of five days)
        (D(2026, 6, 1), D(2026, 7, 13)),
        # Hùng Kings' day (Sun 26 Apr 2026, off Mon 27 in lieu), 30/4 and 1/5 (Thu, Fri): three working days
        # lost, so Fri 24 Apr → Wed 10 Jun (day 1 Tue 28 Apr, day 2 Wed 29, days 3–7 the week of 4 May, ...)
        (D(2026, 4, 24), D(2026, 6, 10)),
    ],
)
def test_thirty_working_days_are_counted_with_vietnams_holidays(start, due):
    assert deadlines.add_working_days(start, 30) == due


def test_tet_and_weekends_are_not_working_days_and_a_submission_day_is_not_counted():
    assert not deadlines.is_working_day(D(2026, 2, 17))  # Mùng 1 Tết Bính Ngọ
    assert not deadlines.is_working_day(D(2027, 2, 4))  # 29 Tết Đinh Mùi
    assert not deadlines.is_working_day(D(2026, 1, 17))  # a Saturday
    assert deadlines.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)  # Friday before Tết → after
    assert deadlines.working_days_left(D(2026, 2, 13), D(2026, 2, 24)) == 2
    with pytest.raises(ValueError):
        deadlines.add_working_days(D(2026, 1, 1), 0)


# --- rules as data ----------------------------------------------------------------------------------


def test_the_rules_in_force_are_shipped_with_the_schema_and_change_on_1_july_2025():
    before, after = selectors.rule_set_in_force(D(2025, 6, 30)), selectors.rule_set_in_force(D(2025, 7, 1))
    assert before.code == "TT26-2014" and before.holds("district") and not before.holds("commune")
    assert after.code == "TT26-2014-SD-2025"
    assert after.levels == ["commune", "province", "region", "national"]
    assert after.organiser_of("region") == "national_organiser"
    assert after.region_working_days == 30 and after.min_sheets is None and not after.direct_entry
    assert selectors.rule_set_in_force(D(2010, 1, 1)) is None


def test_the_official_score_sheet_is_shipped_40_40_10_10_so_a_fresh_install_can_open_a_round():
    sheet = RubricVersion.objects.get(code="PL4-TT26-2025")
    by_group = {}
    for c in sheet.criteria.all():
        by_group[c.group] = by_group.get(c.group, 0) + c.max_points
    assert by_group == {"a": 40, "b": 40, "c": 10, "d": 10} and sheet.max_total() == 100
    officer = make_user("province_officer")
    round_ = services.create_round(
        user=officer,
        data={
            "code": "CM-2026-PL4",
            "year": 2026,
            "level": "province",
            "title": "Vòng đầu tiên",
            "province": Province.objects.get(code=96),
            "rubric": sheet,
            "product_groups": ["handicraft"],
            "pass_mark": Decimal("70"),
        },
    )
    assert round_.rubric == sheet and round_.rule_set.code == "TT26-2014-SD-2025"
    assert round_.certificate_validity_months == 36 and round_.appeal_days == 10  # from the rule set
    assert round_.min_sheets is None


def test_a_round_keeps_the_rule_set_in_force_when_it_was_created():
    officer = make_user("province_officer")
    data = {
        "year": 2026,
        "level": "province",
        "title": "Vòng",
        "province": Province.objects.get(code=96),
        "rubric": RubricVersion.objects.get(code="PL4-TT26-2025"),
        "product_groups": ["handicraft"],
    }
    first = services.create_round(user=officer, data={**data, "code": "R-1"})
    newer = RuleSet.objects.create(
        code="NEW",
        name="Quy định mới",
        effective_from=timezone.localdate(),
        levels=["commune", "province", "region", "national"],
        organisers={
            "commune": "commune_officer",
            "province": "province_officer",
            "region": "national_organiser",
            "national": "national_organiser",
        },
        region_working_days=20,
        direct_entry=True,
    )
    second = services.create_round(user=officer, data={**data, "code": "R-2"})
    first.refresh_from_db()
    assert first.rule_set.code == "TT26-2014-SD-2025" and second.rule_set == newer


def test_a_rule_set_names_known_levels_and_an_organiser_for_each():
    bad = RuleSet(
        code="X", name="X", effective_from=D(2030, 1, 1), levels=["commune", "village"], organisers={}
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "levels" in exc.value.message_dict
    bad.levels = ["commune"]
    bad.organisers = {"commune": "mayor"}
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "organisers" in exc.value.message_dict


# --- levels --------------------------------------------------------------------------------------


def _round_data(level, code, **extra):
    return {
        "code": code,
        "year": 2026,
        "level": level,
        "title": f"Vòng {code}",
        "rubric": RubricVersion.objects.get(code="PL4-TT26-2025"),
        "product_groups": ["agro_processing", "handicraft"],
        **extra,
    }


def test_district_rounds_are_refused_after_1_july_2025_even_recorded_as_history():
    officer = make_user("province_officer")
    province = Province.objects.get(code=96)
    with pytest.raises(ValidationError) as exc:
        services.create_round(user=officer, data=_round_data("district", "H-1", province=province))
    assert "level" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_round(
            user=officer,
            data=_round_data(
                "district",
                "H-2",
                province=province,
                is_historical=True,
                year=2025,
                registration_opens=D(2025, 8, 1),
            ),
        )
    assert "1 July 2025" in str(exc.value) or "01/07/2025" in str(exc.value) or "7/2025" in str(exc.value)
    old = services.create_round(
        user=officer,
        data=_round_data("district", "H-3", province=province, is_historical=True, year=2019),
    )
    assert old.rule_set.code == "TT26-2014"


def test_a_commune_officer_opens_and_runs_their_communes_round_only():
    from khuyencong.geo.models import Commune

    mine = make_user("commune_officer")  # xã Sông Đốc 32098
    other = make_user("commune_officer", commune_id=32152)
    round_ = services.create_round(
        user=mine, data=_round_data("commune", "XA-1", commune=Commune.objects.get(pk=32098))
    )
    assert round_.province_id == 96 and round_.organiser == "commune_officer"
    services.open_registration(user=mine, round_=round_)
    with pytest.raises(PermissionDenied):
        services.close_registration(user=other, round_=round_)
    with pytest.raises(PermissionDenied):
        services.close_registration(user=make_user("province_officer"), round_=round_)
    with pytest.raises(PermissionDenied):
        services.create_round(
            user=other, data=_round_data("commune", "XA-2", commune=Commune.objects.get(pk=32098))
        )
    with pytest.raises(ValidationError) as exc:
        services.create_round(user=make_user("admin"), data=_round_data("commune", "XA-3"))
    assert "commune" in exc.value.message_dict
    # only establishments of the commune take part
    outside = ProductFactory(establishment=EstablishmentFactory(commune_id=32152))
    with pytest.raises(ValidationError):
        services.create_dossier(
            user=make_user("admin"), round_=round_, product=outside, data={"summary": "x"}
        )


def _decided(level, code, products, **place):
    round_ = make_round(status=RoundStatus.DECIDED, level=level, code=code, **place)
    results = []
    for seq, product in enumerate(products, start=1):
        dossier = make_dossier(round_, product, status=DossierStatus.CERTIFIED, markets="Cà Mau, TP.HCM")
        result = Result.objects.create(
            round=round_,
            product=product,
            dossier=dossier,
            score=Decimal("85"),
            certified=True,
            decision_no="1/QĐ",
        )
        Certificate.objects.create(result=result, number=f"{code}-{seq}", issued_on=timezone.localdate())
        results.append(result)
    return round_, results


def _organiser():
    return make_user("national_organiser", username="cuc")


def test_a_product_goes_commune_to_province_to_region_in_a_batch_to_national_without_retyping():
    commune_officer, province_officer, organiser = (
        make_user("commune_officer"),
        make_user("province_officer"),
        _organiser(),
    )
    product = ProductFactory(establishment=EstablishmentFactory(commune_id=32098))
    south = Province.objects.get(code=96).region
    commune_round, _ = _decided("commune", "XA-2026", [product], province_id=96, commune_id=32098)
    province_round = make_round(level="province", code="TINH-2026")
    [into_province] = services.nominate(user=commune_officer, source=commune_round, target=province_round)
    assert (
        into_province.status == DossierStatus.SUBMITTED
        and into_province.nominated_from.round == commune_round
    )

    province_decided, _ = _decided("province", "TINH-2026-KQ", [product], province_id=96)
    region = make_round(level="region", code="KV-2026", province_id=None, region=south)
    [into_region] = services.nominate(user=province_officer, source=province_decided, target=region)
    batch = into_region.batch
    assert into_region.status == DossierStatus.DRAFT and batch.status == BatchStatus.DRAFT
    with pytest.raises(ValidationError):  # goes with the batch, not alone
        services.submit_dossier(user=province_officer, dossier=into_region)
    with pytest.raises(ValidationError) as exc:
        services.submit_batch(user=province_officer, batch=batch)
    assert "letter" in str(exc.value).lower() or "công văn" in str(exc.value).lower()
    services.update_batch(
        user=province_officer,
        batch=batch,
        data={"letter_no": "1234/UBND-KT", "letter_date": timezone.localdate()},
        letter=pdf_upload("cong-van.pdf"),
    )
    services.submit_batch(user=province_officer, batch=batch)
    into_region.refresh_from_db()
    assert into_region.status == DossierStatus.SUBMITTED
    assert Notification.objects.filter(user=organiser, url__contains=f"/batches/{batch.pk}/").exists()
    services.accept_batch(user=organiser, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMPLETE
    assert batch.due_on == deadlines.add_working_days(timezone.localtime(batch.submitted_at).date(), 30)
    assert Notification.objects.filter(user=province_officer, url__contains=f"/batches/{batch.pk}/").exists()

    region_decided, _ = _decided("region", "KV-2026-KQ", [product], province_id=None, region=south)
    national = make_round(level="national", code="QG-2027", province_id=None)
    with pytest.raises(PermissionDenied):
        services.nominate(user=province_officer, source=region_decided, target=national)
    [into_national] = services.nominate(user=organiser, source=region_decided, target=national)
    assert into_national.status == DossierStatus.SUBMITTED and into_national.summary == into_region.summary
    steps = list(BatchTransition.objects.filter(batch=batch).values_list("action", flat=True))
    assert steps == ["open", "submit", "accept"]


@pytest.mark.parametrize("submitted, due", [(D(2026, 1, 15), D(2026, 3, 5)), (D(2027, 1, 15), D(2027, 3, 5))])
def test_the_region_rounds_deadline_runs_from_the_complete_submission_across_tet(submitted, due):
    batch = _submitted_batch()
    batch.submitted_at = timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(9, 30)))
    batch.save(update_fields=["submitted_at"])
    services.accept_batch(user=_organiser(), batch=batch)
    batch.refresh_from_db()
    assert batch.due_on == due


def _submitted_batch(province_officer=None):
    province_officer = province_officer or make_user("province_officer")
    product = ProductFactory()
    province_decided, _ = _decided("province", f"T-{product.pk}", [product], province_id=96)
    region = make_round(level="region", province_id=None, region=Province.objects.get(code=96).region)
    [dossier] = services.nominate(user=province_officer, source=province_decided, target=region)
    services.update_batch(
        user=province_officer,
        batch=dossier.batch,
        data={"letter_no": "88/UBND", "letter_date": timezone.localdate()},
        letter=pdf_upload(),
    )
    return services.submit_batch(user=province_officer, batch=dossier.batch)


def test_only_the_organiser_screens_a_batch_and_a_return_says_what_is_missing():
    province_officer = make_user("province_officer")
    batch = _submitted_batch(province_officer)
    with pytest.raises(PermissionDenied):
        services.accept_batch(user=province_officer, batch=batch)
    organiser = _organiser()
    with pytest.raises(ValidationError):
        services.return_batch(user=organiser, batch=batch, note="")
    services.return_batch(user=organiser, batch=batch, note="Thiếu biên bản họp hội đồng cấp tỉnh")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RETURNED and batch.due_on is None
    assert Notification.objects.filter(user=province_officer, body__contains="biên bản").exists()
    with pytest.raises(ValidationError):  # returned: it is not complete, nothing to accept
        services.accept_batch(user=organiser, batch=batch)
    services.submit_batch(user=province_officer, batch=batch)  # completed and sent again
    services.accept_batch(user=organiser, batch=batch)


def test_another_provinces_officer_cannot_touch_a_batch_and_a_pdf_letter_is_required():
    batch = _submitted_batch()
    services.return_batch(user=_organiser(), batch=batch, note="Bổ sung công văn có chữ ký")
    rival = make_user("province_officer", province_id=92)
    with pytest.raises(PermissionDenied):
        services.submit_batch(user=rival, batch=batch)
    with pytest.raises(ValidationError) as exc:
        services.update_batch(
            user=make_user("province_officer"),
            batch=batch,
            data={"letter_no": "1/UBND", "letter_date": timezone.localdate() + datetime.timedelta(days=3)},
        )
    assert "letter_date" in exc.value.message_dict


def test_the_organiser_is_reminded_before_a_region_rounds_deadline_once():
    batch = _submitted_batch()
    organiser = _organiser()
    services.accept_batch(user=organiser, batch=batch)
    batch.refresh_from_db()
    assert services.send_batch_reminders(today=batch.due_on - datetime.timedelta(days=10), days=3) == 0
    assert services.send_batch_reminders(today=batch.due_on - datetime.timedelta(days=2), days=3) == 1
    assert services.send_batch_reminders(today=batch.due_on - datetime.timedelta(days=1), days=3) == 0
    note = Notification.objects.get(user=organiser, kind="deadline")
    assert batch.due_on.strftime("%d/%m/%Y") in note.subject


# --- rules that held loosely ------------------------------------------------------------------------


def test_a_product_not_certified_below_cannot_enter_a_region_round_unless_its_rules_allow_direct_entry():
    south = Province.objects.get(code=96).region
    rules = selectors.rule_set_in_force(timezone.localdate())
    region = make_round(level="region", province_id=None, region=south, rule_set=rules)
    product = ProductFactory()
    admin = make_user("admin")
    with pytest.raises(ValidationError) as exc:
        services.create_dossier(user=admin, round_=region, product=product, data={"summary": "Khô cá"})
    assert "level below" in str(exc.value) or "cấp dưới" in str(exc.value) or "cấp tỉnh" in str(exc.value)
    rules.direct_entry = True
    rules.save()
    region.refresh_from_db()
    dossier = services.create_dossier(user=admin, round_=region, product=product, data={"summary": "Khô cá"})
    assert dossier.status == DossierStatus.DRAFT


def test_a_dossier_returned_after_registration_closed_is_resubmitted_until_screening_ends():
    officer = make_user("province_officer")
    today = timezone.localdate()
    round_ = make_round(
        status=RoundStatus.SCREENING,
        registration_opens=today - datetime.timedelta(days=30),
        registration_closes=today - datetime.timedelta(days=2),
    )
    returned = make_dossier(round_, status=DossierStatus.RETURNED)
    late_draft = make_dossier(round_, status=DossierStatus.DRAFT)
    services.submit_dossier(user=officer, dossier=returned)
    assert Dossier.objects.get(pk=returned.pk).status == DossierStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.submit_dossier(user=officer, dossier=late_draft)
    again = make_dossier(round_, status=DossierStatus.RETURNED)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.SCORING)
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(user=officer, dossier=again)
    assert "screening" in str(exc.value).lower() or "thẩm định" in str(exc.value).lower()


# --- pages ---------------------------------------------------------------------------------------


def test_the_province_follows_its_batch_and_the_organiser_accepts_it_on_the_page(client):
    province_officer = make_user("province_officer")
    batch = _submitted_batch(province_officer)
    url = f"/selection/batches/{batch.pk}/"
    client.force_login(province_officer)
    page = client.get(url).content.decode()
    assert "Hồ sơ đề nghị của" in page and "88/UBND" in page and "Đã nộp, chờ thẩm định" in page
    assert "Tiếp nhận: hồ sơ hợp lệ" not in page  # the province does not screen its own batch
    letter_url = f"/selection/batch-letters/{batch.letter.pk}/"
    assert client.get(letter_url).status_code == 200
    client.force_login(make_user("province_officer", province_id=92))
    assert client.get(url).status_code == 404
    assert client.get(letter_url).status_code == 404
    organiser = _organiser()
    client.force_login(organiser)
    assert "Tiếp nhận: hồ sơ hợp lệ" in client.get(url).content.decode()
    assert client.get(letter_url).status_code == 200
    client.post(f"/selection/batches/{batch.pk}/do/accept/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMPLETE
    page = client.get(url).content.decode()
    assert batch.due_on.strftime("%d/%m/%Y") in page and "ngày làm việc" in page
    region_page = client.get(f"/selection/rounds/{batch.round_id}/").content.decode()
    assert "Hồ sơ đề nghị của các tỉnh" in region_page and batch.due_on.strftime("%d/%m/%Y") in region_page


def test_a_rule_set_rounds_follow_is_read_only_in_the_admin(client):
    client.force_login(make_user("admin", username="quantri", is_superuser=True, is_staff=True))
    unused = RuleSet.objects.get(code="TT26-2014")
    page = client.get(f"/admin/selection/ruleset/{unused.pk}/change/").content.decode()
    assert 'name="_save"' in page
    used = selectors.rule_set_in_force(timezone.localdate())
    make_round(rule_set=used)
    page = client.get(f"/admin/selection/ruleset/{used.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_a_communes_council_takes_its_officers_and_the_organiser_sits_on_region_councils():
    from khuyencong.accounts.selectors import council_candidates

    commune_round = make_round(level="commune", commune_id=32098, code="XA-HD")
    mine, other = make_user("commune_officer"), make_user("commune_officer", commune_id=32152)
    judge = make_user("judge")
    candidates = set(council_candidates(commune_round))
    assert {mine, judge} <= candidates and other not in candidates
    organiser = _organiser()
    region = make_round(level="region", province_id=None, region=Province.objects.get(code=96).region)
    assert organiser in set(council_candidates(region)) and judge in set(council_candidates(region))
    assert organiser not in set(council_candidates(make_round()))  # a province round: the province's people


def test_the_new_round_form_shows_the_rule_sets_defaults():
    from khuyencong.selection.forms import RoundForm

    form = RoundForm(user=make_user("province_officer"))
    rules = selectors.rule_set_in_force(timezone.localdate())
    assert form.initial["appeal_days"] == rules.appeal_days == 10
    assert form.initial["certificate_validity_months"] == 36 and form.initial["min_sheets"] is None
    choices = [value for value, _label in form.fields["level"].choices]
    assert "commune" not in choices and "province" in choices
    commune_form = RoundForm(user=make_user("commune_officer"))
    assert [v for v, _label in commune_form.fields["level"].choices] == ["commune"]
    assert list(commune_form.fields["commune"].queryset.values_list("pk", flat=True)) == [32098]
