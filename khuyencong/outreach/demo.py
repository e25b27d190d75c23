"""Demo: a fair with three establishments and two signed contracts, a supply–demand conference, an upcoming
fair open for registration, a training for commune officers, and a needs survey two establishments answered.

Repeatable: every record is looked up by its title first, and created through the services (audited) only
when missing.
"""

from datetime import date

from django.contrib.auth import get_user_model

from khuyencong.accounts.models import Role
from khuyencong.core.demo import DEMO_PASSWORD
from khuyencong.geo.models import Province

from . import services
from .models import Event, Outcome, Participation, Question, Response, Survey, SurveyStatus, Training

FAIR = "Hội chợ triển lãm sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Cà Mau 2026"
CONFERENCE = "Hội nghị kết nối cung cầu sản phẩm CNNT Cà Mau – TP. Hồ Chí Minh 2026"
UPCOMING = "Hội chợ Công Thương khu vực Đồng bằng sông Cửu Long – Cần Thơ 2026"
TRAINING = "Tập huấn nghiệp vụ khuyến công cho cán bộ cấp xã năm 2026"
SURVEY = "Khảo sát nhu cầu hỗ trợ khuyến công của cơ sở CNNT năm 2026"

QUESTIONS = [
    (
        "Nhu cầu hỗ trợ ưu tiên nhất của cơ sở trong năm tới?",
        "choice",
        "Máy móc, thiết bị tiên tiến\nĐào tạo nghề cho lao động\nTham gia hội chợ, triển lãm\nXây dựng thương hiệu, bao bì",  # noqa: E501
        "machinery",
    ),
    (
        "Cơ sở muốn tham gia hoạt động xúc tiến thương mại nào?",
        "multi",
        "Hội chợ trong tỉnh\nHội chợ ngoài tỉnh\nHội nghị kết nối cung cầu\nSàn thương mại điện tử",
        "fair",
    ),
    ("Số lao động cần đào tạo nghề trong năm tới", "number", "", "training"),
    ("Khó khăn lớn nhất của cơ sở hiện nay", "text", "", ""),
]
ANSWERS = {
    "CM-001": [
        "Máy móc, thiết bị tiên tiến",
        ["Hội chợ ngoài tỉnh", "Sàn thương mại điện tử"],
        "12",
        "Máy sấy mực công suất lớn để chủ động khi trời mưa.",
    ],
    "CM-002": [
        "Xây dựng thương hiệu, bao bì",
        ["Hội chợ ngoài tỉnh", "Hội nghị kết nối cung cầu"],
        "8",
        "Bao bì chưa đạt yêu cầu của chuỗi siêu thị.",
    ],
}


def _rep_for_cm002(ctx):
    User = get_user_model()
    est = ctx["establishments"]["CM-002"]
    user = User.objects.filter(username="coso.tomsach").first()
    if user is None:
        user = User(
            username="coso.tomsach",
            first_name="Hoa",
            last_name="Phan Thị",
            role=Role.ESTABLISHMENT,
            province_id=est.province_id,
            commune_id=est.commune_id,
            establishment=est,
            email="coso.tomsach@example.vn",
            organisation="Hợp tác xã Tôm sạch Đầm Dơi",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    ctx["users"]["coso.tomsach"] = user
    return user


def _event(officer, title, **data):
    event = Event.objects.filter(title=title).first()
    if event is None:
        event = services.create_event(
            user=officer, data={"title": title, "province": officer.province, **data}
        )
    return event


def _participant(officer, event, est, products, booth=True):
    if not Participation.objects.filter(event=event, establishment=est).exists():
        services.add_participant(
            user=officer, event=event, establishment=est, products=products, booth_supported=booth
        )


def _outcome(officer, event, est, kind, partner, value, signed_on, partner_province=None):
    if not Outcome.objects.filter(event=event, establishment=est, partner=partner).exists():
        services.add_outcome(
            user=officer,
            event=event,
            data={
                "establishment": est,
                "kind": kind,
                "partner": partner,
                "value": value,
                "signed_on": signed_on,
                "partner_province": partner_province,
            },
        )


def load(ctx) -> None:
    officer = ctx["users"]["sct.camau"]
    est = ctx["establishments"]
    products = ctx["products"]
    province = ctx.get("province") or Province.objects.get(code=96)
    hcm = Province.objects.filter(code=79).first()
    cantho = Province.objects.filter(code=92).first()
    tomsach = _rep_for_cm002(ctx)
    project = None
    try:
        from khuyencong.programme.models import Project

        project = Project.objects.filter(province=province, activity="fair", archived_at__isnull=True).first()
    except Exception:  # the programme area may not be installed in a slimmer setup
        project = None

    fair = _event(
        officer,
        FAIR,
        kind="fair",
        scope="in_province",
        host_province=province,
        venue="Công viên Hùng Vương, phường An Xuyên",
        start_date=date(2026, 10, 15),
        end_date=date(2026, 10, 19),
        organiser="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Cà Mau",
        project=project,
        booths_supported=3,
        buyers_met=42,
        description="120 gian hàng; 3 gian hàng của cơ sở CNNT được hỗ trợ từ kinh phí khuyến công địa phương.",
    )
    _participant(officer, fair, est["CM-001"], [products["SP-001"]])
    _participant(officer, fair, est["CM-002"], [products["SP-002"], products["SP-003"]])
    _participant(officer, fair, est["CM-004"], [products["SP-005"]])
    _outcome(
        officer,
        fair,
        est["CM-001"],
        "contract",
        "Liên hiệp HTX Thương mại TP. Hồ Chí Minh (Saigon Co.op)",
        1_200_000_000,
        date(2026, 10, 17),
    )
    _outcome(
        officer,
        fair,
        est["CM-002"],
        "contract",
        "Công ty TNHH Lotte Mart Việt Nam",
        850_000_000,
        date(2026, 10, 18),
    )
    if hcm:
        _outcome(
            officer,
            fair,
            est["CM-004"],
            "agent",
            "Đại lý Bánh phồng tôm Năm Căn tại chợ Bình Điền",
            0,
            date(2026, 10, 19),
            partner_province=hcm,
        )

    if hcm:
        conference = _event(
            officer,
            CONFERENCE,
            kind="conference",
            scope="out_of_province",
            host_province=hcm,
            venue="Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC)",
            start_date=date(2026, 8, 6),
            end_date=date(2026, 8, 7),
            organiser="Sở Công Thương Cà Mau và Sở Công Thương TP. Hồ Chí Minh",
            buyers_met=25,
        )
        _participant(officer, conference, est["CM-001"], [products["SP-001"]], booth=False)
        _participant(officer, conference, est["CM-005"], [products["SP-006"]], booth=False)
        _outcome(
            officer,
            conference,
            est["CM-005"],
            "mou",
            "Công ty CP Thương mại Bách Hóa Xanh",
            300_000_000,
            date(2026, 8, 7),
        )
    if cantho:
        _event(
            officer,
            UPCOMING,
            kind="fair",
            scope="out_of_province",
            host_province=cantho,
            venue="Khu triển lãm Cái Khế, phường Ninh Kiều",
            start_date=date(2027, 3, 10),
            end_date=date(2027, 3, 14),
            organiser="Bộ Công Thương và UBND TP. Cần Thơ",
            booths_supported=5,
        )

    training = Training.objects.filter(topic=TRAINING).first()
    if training is None:
        training = services.create_training(
            user=officer,
            data={
                "province": province,
                "topic": TRAINING,
                "audience": "mixed",
                "start_date": date(2026, 6, 10),
                "end_date": date(2026, 6, 11),
                "venue": "Hội trường Sở Công Thương Cà Mau",
                "trainer": "ThS. Nguyễn Văn Phúc (Cục Công Thương địa phương)",
                "evaluation": "92 % học viên đánh giá nội dung sát thực tế; đề nghị tập huấn thêm về lập hồ sơ đề án.",
            },
        )
        services.add_trainee(
            user=officer,
            training=training,
            data={"user": ctx["users"]["xa.songdoc"], "attended": True, "score": 5},
        )
        services.add_trainee(
            user=officer,
            training=training,
            data={
                "name": "Nguyễn Thị Lan",
                "role": "Công chức kinh tế xã",
                "place": "Xã Đầm Dơi",
                "attended": True,
                "score": 4,
            },
        )
        services.add_trainee(
            user=officer,
            training=training,
            data={
                "name": "Trần Văn Hùng",
                "role": "Chủ cơ sở",
                "place": "Xã Năm Căn",
                "establishment": est["CM-004"],
                "attended": True,
                "score": 4,
            },
        )
        services.add_trainee(
            user=officer,
            training=training,
            data={
                "name": "Huỳnh Văn Sáu",
                "role": "Giám đốc",
                "place": "Xã Sông Đốc",
                "establishment": est["CM-001"],
                "attended": False,
            },
        )

    survey = Survey.objects.filter(title=SURVEY).first()
    if survey is None:
        survey = services.create_survey(
            user=officer,
            data={
                "province": province,
                "title": SURVEY,
                "year": 2026,
                "intro": "Sở Công Thương khảo sát nhu cầu của cơ sở để xây dựng kế hoạch khuyến công năm 2027.",
            },
        )
        for order, (text, kind, choices, activity) in enumerate(QUESTIONS, start=1):
            services.add_question(
                user=officer,
                survey=survey,
                data={
                    "text": text,
                    "kind": kind,
                    "choices": choices,
                    "required": kind != "text",
                    "activity": activity,
                    "order": order,
                },
            )
        services.send_survey(user=officer, survey=survey)
    if survey.status == SurveyStatus.OPEN:
        questions = list(Question.objects.filter(survey=survey).order_by("order", "pk"))
        reps = {"CM-001": ctx["users"]["coso.khomuc"], "CM-002": tomsach}
        for code, values in ANSWERS.items():
            if not Response.objects.filter(survey=survey, establishment=est[code]).exists():
                services.submit_response(
                    user=reps[code],
                    survey=survey,
                    answers={q.pk: v for q, v in zip(questions, values, strict=True)},
                )
    ctx["say"](
        f"Outreach: {Event.objects.count()} events, {Training.objects.count()} trainings, "
        f"{Survey.objects.count()} surveys"
    )
