"""Selection services: the round from registration to certificates and nomination, and every refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.notifications.models import Notification
from khuyencong.selection import services
from khuyencong.selection.models import (
    Certificate,
    Dossier,
    DossierDocument,
    Result,
    Round,
    Score,
    ScoreItem,
    ScoresSealed,
)
from tests.factories import EstablishmentFactory, ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, pdf_upload, png_upload, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", email="sct@example.vn")


def scored_round(officer, totals_by_member, n_dossiers=1):
    """A round in scoring with dossiers scored by members: totals_by_member[i] = fraction of the maximum."""
    round_ = make_round(status="scoring")
    dossiers = [make_dossier(round_, status="eligible") for _ in range(n_dossiers)]
    members = []
    for fraction in totals_by_member:
        m = seat(round_)
        assign(m, *dossiers)
        for d in dossiers:
            services.save_score(
                user=m.user,
                dossier=d,
                points=full_points(
                    round_, lambda c, f=fraction: (c.max_points * Decimal(f)).quantize(Decimal("0.01"))
                ),
                submit=True,
            )
        members.append(m)
    return round_, dossiers, members


def test_an_establishment_registers_uploads_and_submits_its_product(officer):
    round_ = make_round()
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    dossier = services.create_dossier(
        user=rep, round_=round_, product=product, data={"summary": "Khô mực phơi nắng"}
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(user=rep, dossier=dossier)
    assert "Thiếu tài liệu bắt buộc: Phiếu đăng ký." in exc.value.messages
    services.add_document(user=rep, dossier=dossier, kind="registration_form", upload=pdf_upload())
    services.add_document(user=rep, dossier=dossier, kind="photo", upload=png_upload())
    services.submit_dossier(user=rep, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.submitted_at


def test_a_wrong_file_type_is_refused_and_nothing_is_stored(officer):
    dossier = make_dossier(make_round(), with_documents=False)
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as exc:
        services.add_document(user=officer, dossier=dossier, kind="registration_form", upload=fake)
    assert "file" in exc.value.message_dict
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(ValidationError):
        services.add_document(user=officer, dossier=dossier, kind="registration_form", upload=exe)
    assert DossierDocument.objects.count() == 0


def test_a_late_submission_after_the_deadline_is_refused(officer):
    round_ = make_round(registration_closes=datetime.date.today() - datetime.timedelta(days=1))
    dossier = make_dossier(round_)
    with pytest.raises(ValidationError) as exc:
        services.submit_dossier(user=officer, dossier=dossier)
    assert exc.value.messages[0].startswith(
        f"Đã hết hạn nộp hồ sơ ngày {round_.registration_closes:%d/%m/%Y}"
    )
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_eligibility_refuses_an_establishment_of_another_province_and_a_group_not_admitted(officer):
    round_ = make_round(product_groups=["handicraft"])
    other = ProductFactory(
        establishment=EstablishmentFactory(province_id=92, commune_id=None), group="handicraft"
    )
    admin = make_user("admin")
    with pytest.raises(ValidationError):
        services.create_dossier(user=admin, round_=round_, product=other, data={"summary": "x"})
    food = ProductFactory(group="agro_processing")
    with pytest.raises(ValidationError) as exc:
        services.create_dossier(user=officer, round_=round_, product=food, data={"summary": "x"})
    assert "product" in exc.value.message_dict
    assert Dossier.objects.count() == 0


def test_a_product_holding_a_valid_certificate_at_this_level_cannot_register_again(officer):
    old = make_round(status="decided", year=2024, code="OLD-2024")
    product = ProductFactory()
    result = Result.objects.create(round=old, product=product, certified=True, score=80)
    Certificate.objects.create(
        result=result,
        number="OLD-1",
        issued_on=datetime.date(2024, 10, 1),
        valid_until=datetime.date.today() + datetime.timedelta(days=300),
    )
    with pytest.raises(ValidationError) as exc:
        services.create_dossier(user=officer, round_=make_round(), product=product, data={"summary": "x"})
    assert "OLD-1" in str(exc.value)


def test_screening_returns_a_dossier_with_a_reason_and_tells_the_establishment(
    officer, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment, email="rep@example.vn")
    dossier = make_dossier(make_round(), product=product, status="submitted")
    with pytest.raises(ValidationError):
        services.screen_dossier(user=officer, dossier=dossier, decision="returned", note="")
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves once the screening commits
        services.screen_dossier(
            user=officer, dossier=dossier, decision="returned", note="Bổ sung giấy phép kinh doanh"
        )
    dossier.refresh_from_db()
    assert dossier.status == "returned"
    assert Notification.objects.filter(user=rep, kind="dossier_returned").exists()
    assert mail.outbox and mail.outbox[-1].to == ["rep@example.vn"]


def test_scores_out_of_bounds_are_refused_with_the_criterion_named_and_nothing_saved(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    points = full_points(round_)
    first = round_.rubric.criteria.first()
    points[first.pk] = "15.5"
    with pytest.raises(ValidationError) as exc:
        services.save_score(user=m.user, dossier=d, points=points)
    assert f"c_{first.pk}" in exc.value.message_dict
    points[first.pk] = "-1"
    with pytest.raises(ValidationError):
        services.save_score(user=m.user, dossier=d, points=points)
    assert not Score.objects.exists() and not ScoreItem.objects.exists()


def test_a_draft_can_be_incomplete_but_a_submission_cannot(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    first = round_.rubric.criteria.first()
    sheet = services.save_score(user=m.user, dossier=d, points={first.pk: "12,5"})
    assert sheet.total == Decimal("12.50") and sheet.submitted_at is None
    with pytest.raises(ValidationError):
        services.save_score(user=m.user, dossier=d, points={first.pk: "12,5"}, submit=True)


def test_a_member_with_a_conflict_cannot_score(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    services.declare_conflict(user=m.user, dossier=d, kind="hard", reason="Người thân làm việc tại cơ sở")
    with pytest.raises(PermissionDenied):
        services.save_score(user=m.user, dossier=d, points=full_points(round_))
    assert not Score.objects.exists()


def test_a_member_not_on_the_council_or_not_assigned_cannot_score(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    stranger = make_user("judge")
    with pytest.raises(PermissionDenied):
        services.save_score(user=stranger, dossier=d, points=full_points(round_))
    m = seat(round_)
    with pytest.raises(PermissionDenied):
        services.save_score(user=m.user, dossier=d, points=full_points(round_))


def test_scoring_outside_the_scoring_window_is_refused(officer):
    round_ = make_round(status="registration")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    with pytest.raises(ValidationError):
        services.save_score(user=m.user, dossier=d, points=full_points(round_))


def test_results_are_the_mean_of_members_totals_ranked_and_checked_against_the_pass_mark(officer):
    round_, (d,), members = scored_round(officer, ["0.9", "0.8", "0.65"])
    round_.status = "review"
    round_.save()
    from khuyencong.selection.selectors import result_rows

    (row,) = result_rows(round_)
    assert row.score == Decimal("78.33")
    assert row.passed and row.rank == 1


def test_the_whole_round_from_scoring_to_certificates_and_nomination(officer, settings):
    settings.SITE_URL = "https://khuyencong.example.vn"
    round_ = make_round(status="registration", grades_prizes=True, advance_prizes="A")
    dossiers = [make_dossier(round_, status="submitted") for _ in range(3)]
    members = [seat(round_) for _ in range(3)]
    for d in dossiers:
        services.screen_dossier(user=officer, dossier=d, decision="eligible")
    services.declare_conflict(
        user=members[2].user, dossier=dossiers[0], kind="hard", reason="Quan hệ họ hàng với chủ cơ sở"
    )
    services.open_scoring(user=officer, round_=round_)
    assert Notification.objects.filter(kind="scoring_open").count() == 3
    fractions = {dossiers[0].pk: "0.9", dossiers[1].pk: "0.75", dossiers[2].pk: "0.5"}
    for m in members:
        for d in dossiers:
            if m == members[2] and d == dossiers[0]:
                continue
            services.save_score(
                user=m.user,
                dossier=d,
                submit=True,
                points=full_points(
                    round_, lambda c, f=fractions[d.pk]: (c.max_points * Decimal(f)).quantize(Decimal("0.01"))
                ),
            )
    services.close_scoring(user=officer, round_=round_)
    services.select_results(
        user=officer,
        round_=round_,
        choices={
            dossiers[0].pk: {"selected": True, "prize": "A"},
            dossiers[1].pk: {"selected": True, "prize": "B"},
            dossiers[2].pk: {"selected": False, "prize": ""},
        },
    )
    services.approve_results(user=officer, round_=round_)
    results = {r.product_id: r for r in Result.objects.filter(round=round_)}
    assert results[dossiers[0].product_id].score == Decimal("90.00")
    assert results[dossiers[0].product_id].certified and not results[dossiers[2].product_id].certified
    certs = services.record_decision(
        user=officer,
        round_=round_,
        decision_no="99/QĐ-UBND",
        decision_date=datetime.date(2026, 12, 20),
        signer="Phó Chủ tịch",
    )
    assert len(certs) == 2
    assert certs[0].valid_until == datetime.date(2029, 12, 20)
    from khuyencong.documents.layout import render_certificate_pdf, verify_url

    assert verify_url(certs[0]) == f"https://khuyencong.example.vn/verify/{certs[0].number}"
    assert render_certificate_pdf(certs[0]).startswith(b"%PDF")
    region = Round.objects.create(
        code="KV-T",
        year=2027,
        level="region",
        region_id=Round.objects.get(pk=round_.pk).province.region_id,
        title="Khu vực",
        rubric=round_.rubric,
        status="registration",
    )
    created = services.nominate(user=officer, source=round_, target=region)
    assert [d.product_id for d in created] == [dossiers[0].product_id]  # only prize A goes on
    assert created[0].documents.count() == 2 and created[0].summary == dossiers[0].summary


def test_after_approval_scores_cannot_change_through_services_models_or_reopening_without_reason(officer):
    round_, (d,), (m,) = scored_round(officer, ["0.8"])
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    sheet = Score.objects.get()
    with pytest.raises((ValidationError, ScoresSealed)):
        services.save_score(user=m.user, dossier=d, points=full_points(round_))
    sheet.total = Decimal("100")
    with pytest.raises(ScoresSealed):
        sheet.save()
    item = sheet.items.first()
    item.points = Decimal("0")
    with pytest.raises(ScoresSealed):
        item.save()
    with pytest.raises(ScoresSealed):
        sheet.delete()
    with pytest.raises(ValidationError):
        services.reopen_round(user=officer, round_=round_, reason="")
    services.reopen_round(user=officer, round_=round_, reason="Sai sót khi nhập số liệu doanh thu")
    assert Round.objects.get(pk=round_.pk).status == "review"
    assert Score.objects.get().total == Decimal("80.00")


def test_a_submitted_sheet_is_sealed_even_before_approval(officer):
    round_, (d,), (m,) = scored_round(officer, ["0.7"])
    with pytest.raises(ScoresSealed):
        services.save_score(user=m.user, dossier=d, points=full_points(round_))


def test_selection_refuses_what_did_not_pass_or_exceeds_the_quota(officer):
    round_, dossiers, _ = scored_round(officer, ["0.8"], n_dossiers=2)
    services.close_scoring(user=officer, round_=round_)
    Round.objects.filter(pk=round_.pk).update(quota=1)
    round_.refresh_from_db()
    with pytest.raises(ValidationError):
        services.select_results(
            user=officer, round_=round_, choices={d.pk: {"selected": True} for d in dossiers}
        )
    low, _ignored, _m = scored_round(officer, ["0.5"])
    services.close_scoring(user=officer, round_=low)
    with pytest.raises(ValidationError):
        services.select_results(user=officer, round_=low, choices={low.dossiers.get().pk: {"selected": True}})


def test_ties_at_the_quota_are_flagged(officer):
    round_, dossiers, _ = scored_round(officer, ["0.8"], n_dossiers=3)
    services.close_scoring(user=officer, round_=round_)
    Round.objects.filter(pk=round_.pk).update(quota=2)
    round_.refresh_from_db()
    from khuyencong.selection.selectors import result_rows

    rows = result_rows(round_)
    assert all(r.tie for r in rows) and sum(r.proposed for r in rows) == 2


def test_a_province_officer_cannot_run_another_provinces_round():
    other = make_user("province_officer", province_id=92)
    round_ = make_round(status="draft")
    with pytest.raises(PermissionDenied):
        services.open_registration(user=other, round_=round_)
    with pytest.raises(PermissionDenied):
        services.create_round(
            user=other,
            data={
                "code": "X",
                "year": 2026,
                "level": "province",
                "province": round_.province,
                "title": "X",
                "rubric": round_.rubric,
            },
        )


def test_a_round_keeps_its_rubric_once_scoring_started(officer):
    from khuyencong.selection.models import RubricVersion

    round_, _d, _m = scored_round(officer, ["0.8"])
    Round.objects.filter(pk=round_.pk).update(status="scoring")
    newer = RubricVersion.objects.create(code="NEW", name="Mới", effective_from=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.update_round(user=officer, round_=round_, data={"rubric": newer})
    assert "rubric" in exc.value.message_dict


def test_historical_results_are_recorded_without_dossiers(officer):
    round_ = make_round(
        status="decided", is_historical=True, level="district", year=2019, rubric=None, legacy_district_id=967
    )
    product = ProductFactory()
    with pytest.raises(ValidationError):
        services.record_historical_result(
            user=officer, round_=round_, product=product, data={"certified": True}
        )
    result = services.record_historical_result(
        user=officer,
        round_=round_,
        product=product,
        data={
            "certified": True,
            "score": Decimal("81"),
            "decision_no": "12/QĐ-UBND",
            "decision_date": datetime.date(2019, 9, 1),
        },
    )
    assert result.dossier is None and result.certified


def test_reminders_tell_once_about_a_near_deadline(officer):
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment, email="rep@example.vn")
    round_ = make_round(registration_closes=datetime.date.today() + datetime.timedelta(days=2))
    make_dossier(round_, product=product)
    assert services.send_reminders(days=3) == 1
    assert services.send_reminders(days=3) == 0
    assert Notification.objects.get(user=rep).kind == "deadline"


def test_the_reminders_command_runs():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminder" in out.getvalue()


def test_the_demo_is_repeatable():
    from khuyencong.core.demo import load_demo

    load_demo()
    counts = (
        Round.objects.count(),
        Dossier.objects.count(),
        Certificate.objects.count(),
        Result.objects.count(),
    )
    load_demo()
    assert counts == (
        Round.objects.count(),
        Dossier.objects.count(),
        Certificate.objects.count(),
        Result.objects.count(),
    )
    r2024 = Round.objects.get(code="CM-T-2024")
    assert set(r2024.results.filter(certified=True).values_list("product__code", flat=True)) >= {
        "SP-001",
        "SP-002",
        "SP-003",
        "SP-004",
        "SP-005",
        "SP-006",
    }
    assert not Result.objects.filter(
        round__code__in=["CM-T-2024", "KV-NAM-2025", "CM-T-2026"], round__year__range=(2016, 2023)
    ).exists()
    assert Round.objects.get(code="CM-T-2026").council.count() == 4


def test_opening_scoring_assigns_dossiers_nobody_was_given_to_every_scoring_member(officer):
    round_ = make_round(status="screening")
    early = make_dossier(round_, status="eligible")
    late = make_dossier(round_, status="eligible")
    a, b = seat(round_), seat(round_)
    assign(a, early)
    services.open_scoring(user=officer, round_=round_)
    assert set(late.assignments.values_list("member", flat=True)) == {a.pk, b.pk}
    assert set(early.assignments.values_list("member", flat=True)) == {a.pk, b.pk}


def test_a_two_stage_round_scores_the_retained_dossiers_again_and_results_come_from_the_final(officer):
    round_ = make_round(status="scoring", two_stage=True)
    kept, dropped = make_dossier(round_, status="eligible"), make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, kept, dropped)
    for d, f in ((kept, "0.9"), (dossier := dropped, "0.5")):
        services.save_score(
            user=m.user,
            dossier=d,
            submit=True,
            points=full_points(round_, lambda c, f=f: (c.max_points * Decimal(f)).quantize(Decimal("0.01"))),
        )
    del dossier
    services.close_scoring(user=officer, round_=round_)
    with pytest.raises(ValidationError):
        services.approve_results(user=officer, round_=round_)
    services.start_final_stage(user=officer, round_=round_, retained_ids=[kept.pk])
    services.open_scoring(user=officer, round_=round_)
    with pytest.raises(services.ScoringClosed):
        services.save_score(user=m.user, dossier=dropped, points=full_points(round_))
    services.save_score(
        user=m.user,
        dossier=kept,
        submit=True,
        points=full_points(round_, lambda c: (c.max_points * Decimal("0.8")).quantize(Decimal("0.01"))),
    )
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    assert Result.objects.get(round=round_, product=kept.product).score == Decimal("80.00")
    assert not Result.objects.filter(round=round_, product=dropped.product).exists()


def test_an_officer_revokes_a_certificate_with_a_reason(officer):
    round_ = make_round(status="decided")
    result = Result.objects.create(round=round_, product=ProductFactory(), certified=True)
    cert = Certificate.objects.create(result=result, number="R-1", issued_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.revoke_certificate(user=officer, certificate=cert, reason="")
    services.revoke_certificate(user=officer, certificate=cert, reason="Vi phạm an toàn thực phẩm")
    cert.refresh_from_db()
    assert cert.revoked_at and cert.revoked_reason
