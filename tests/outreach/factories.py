"""Outreach test data: events, trainings and surveys in Cà Mau (96) unless told otherwise."""

from datetime import date, timedelta

from django.utils import timezone

from khuyencong.outreach import services
from khuyencong.outreach.models import Event, Survey, Training
from tests.factories import EstablishmentFactory, make_user


def future(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_event(officer, **data) -> Event:
    defaults = {
        "province": officer.province,
        "kind": "fair",
        "title": "Hội chợ CNNT Cà Mau",
        "scope": "in_province",
        "host_province": officer.province,
        "venue": "Công viên Hùng Vương",
        "start_date": future(10),
        "end_date": future(14),
        "organiser": "Trung tâm Khuyến công",
    }
    return services.create_event(user=officer, data={**defaults, **data})


def _place(data: dict) -> dict:
    from khuyencong.geo.models import Commune

    if "commune_id" in data:
        data["commune"] = Commune.objects.get(pk=data.pop("commune_id"))
    return data


def make_training(officer, **data) -> Training:
    defaults = {
        "province": officer.province,
        "topic": "Tập huấn nghiệp vụ khuyến công",
        "audience": "officers",
        "start_date": date(2026, 6, 10),
        "end_date": date(2026, 6, 11),
        "trainer": "Trung tâm Khuyến công",
    }
    return services.create_training(user=officer, data={**defaults, **_place(data)})


def make_survey(officer, *, send=True, **data) -> Survey:
    defaults = {"province": officer.province, "title": "Khảo sát nhu cầu 2026", "year": 2026}
    survey = services.create_survey(user=officer, data={**defaults, **_place(data)})
    services.add_question(
        user=officer,
        survey=survey,
        data={
            "text": "Nhu cầu ưu tiên?",
            "kind": "choice",
            "choices": "Máy móc\nĐào tạo\nHội chợ",
            "activity": "machinery",
        },
    )
    services.add_question(
        user=officer,
        survey=survey,
        data={"text": "Kênh bán hàng muốn mở?", "kind": "multi", "choices": "Siêu thị\nSàn TMĐT\nXuất khẩu"},
    )
    services.add_question(
        user=officer, survey=survey, data={"text": "Số lao động cần đào tạo", "kind": "number"}
    )
    services.add_question(
        user=officer, survey=survey, data={"text": "Khó khăn", "kind": "text", "required": False}
    )
    if send:
        services.send_survey(user=officer, survey=survey)
    return survey


def make_rep(establishment=None, **kwargs):
    establishment = establishment or EstablishmentFactory()
    return make_user(
        "establishment",
        establishment=establishment,
        province_id=establishment.province_id,
        commune_id=establishment.commune_id,
        **kwargs,
    )


def answers_for(survey, choice="Máy móc", multi=("Siêu thị",), number="12", text="Thiếu vốn"):
    qs = list(survey.questions.order_by("order"))
    return {qs[0].pk: choice, qs[1].pk: list(multi), qs[2].pk: number, qs[3].pk: text}
