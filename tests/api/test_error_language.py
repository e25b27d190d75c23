"""API validation errors speak the caller's language: Vietnamese by default, English with Accept-Language: en;
the field path is kept (nested as choices.0.selected), and pydantic's English never leaks."""

import pytest
from django.utils import translation

from khuyencong.api.errors import _messages, message_for
from tests.factories import make_user
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db

PYDANTIC_WORDS = ("Field required", "Input should", "Extra inputs", "valid integer", "should have")


def _post_round(client, bearer, **headers):
    payload = {"year": "2026", "level": "commune-x", "title": "T", "registration_opens": "06/01/2026", "x": 1}
    user = make_user("province_officer")
    return client.post(
        "/api/v1/rounds/", payload, content_type="application/json", **bearer(user), **headers
    ).json()


def test_errors_are_vietnamese_by_default_with_their_field_paths(client, bearer):
    body = _post_round(client, bearer)
    errors = body["errors"]
    assert body["detail"] == "Yêu cầu không hợp lệ."
    assert errors["code"] == ["Trường này là bắt buộc."]
    assert errors["year"] == ["Nhập một số nguyên."]
    assert errors["level"][0].startswith("Chọn một trong các giá trị: 'commune', 'district', 'province'")
    assert errors["registration_opens"] == ["Nhập ngày theo dạng YYYY-MM-DD (năm-tháng-ngày)."]
    assert errors["x"] == ["Trường không được hỗ trợ: hãy bỏ đi (xem lược đồ để biết các trường được nhận)."]
    assert not any(word in str(body) for word in PYDANTIC_WORDS)


def test_errors_are_english_when_asked(client, bearer):
    body = _post_round(client, bearer, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    errors = body["errors"]
    assert body["detail"] == "The request is not valid."
    assert errors["code"] == ["This field is required."]
    assert errors["year"] == ["Enter a whole number."]
    assert " or " not in errors["level"][0] and errors["level"][0].startswith("Choose one of: ")
    assert not any(word in str(body) for word in PYDANTIC_WORDS)


def test_nested_paths_and_bounds(client, bearer):
    officer = make_user("province_officer")
    round_ = make_round()
    payload = {"choices": [{"dossier": 0, "prize": "D"}]}
    body = client.put(
        f"/api/v1/rounds/{round_.pk}/selection", payload, content_type="application/json", **bearer(officer)
    ).json()
    assert body["errors"] == {
        "choices.0.dossier": ["Phải lớn hơn hoặc bằng 1."],
        "choices.0.selected": ["Trường này là bắt buộc."],
        "choices.0.prize": ["Chọn một trong các giá trị: '', 'A', 'B', 'C'."],
    }


def test_the_services_refusals_follow_the_language_too(client, bearer):
    officer = make_user("province_officer")
    round_ = make_round(status="draft")
    url = f"/api/v1/rounds/{round_.pk}/close-registration"
    vi = client.post(url, **bearer(officer)).json()["detail"]
    en = client.post(url, HTTP_ACCEPT_LANGUAGE="en", **bearer(officer)).json()["detail"]
    assert "không thể" in vi and "cannot take the step" in en


def test_the_web_pages_stay_vietnamese_whatever_the_browser_asks(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in body


@pytest.mark.parametrize("kind", sorted(_messages()))
def test_every_error_type_has_its_vietnamese(kind):
    error = {
        "type": kind,
        "msg": "Input should be something",
        "ctx": {
            "ge": 1,
            "gt": 0,
            "le": 10**15,
            "lt": 5,
            "multiple_of": 2,
            "expected": "'a' or 'b'",
            "min_length": 2,
            "max_length": 3,
            "max_digits": 5,
            "decimal_places": 2,
            "whole_digits": 3,
        },
    }
    with translation.override("en"):
        english = message_for(error)
    with translation.override("vi"):
        vietnamese = message_for(error)
    assert english and vietnamese and english != vietnamese, (kind, english, vietnamese)
    assert not any(word in english + vietnamese for word in PYDANTIC_WORDS)
    if kind == "less_than_equal":
        assert vietnamese == "Phải nhỏ hơn hoặc bằng 1.000.000.000.000.000."
