"""The user guide stays true to the interface: every page a step names still answers for that role, every
label it quotes is still on that page in both languages, every screenshot it shows exists."""

import html
import re
import shutil
import subprocess

import pytest
from django.utils.html import strip_tags
from PIL import Image

from khuyencong.help.guide import GUIDES, screenshot_name
from khuyencong.help.selectors import SCREENS
from khuyencong.help.shots import LANGUAGES, SHOTS_DIR

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(strip_tags(body)).split())


def test_every_screen_the_guide_names_is_known():
    named = {task.screen_of(step) for g in GUIDES for task in g.tasks for step in task.steps} | {
        task.screen for g in GUIDES for task in g.tasks
    }
    assert named - {None} <= set(SCREENS)


def test_every_role_has_a_guide_and_every_task_its_screenshots_in_both_languages():
    from khuyencong.accounts.models import Role

    assert {g.key for g in GUIDES} == {*Role.values, "public"}
    missing, narrow, total = [], [], 0
    for guide in GUIDES:
        for task in guide.tasks:
            if not task.screen:
                continue
            for language in LANGUAGES:
                path = SHOTS_DIR / language / screenshot_name(guide, task)
                if not path.exists():
                    missing.append(str(path.relative_to(SHOTS_DIR)))
                    continue
                total += path.stat().st_size
                with Image.open(path) as image:
                    if image.width < 1280:
                        narrow.append(f"{path.name}: {image.width} px")
    assert missing == [], "run `make guide`"
    assert narrow == []
    assert total < 4 * 1024 * 1024, f"the screenshots weigh {total / 1024 / 1024:.1f} MB"


def test_the_index_lists_every_role_and_a_visitor_gets_the_public_guide_first(client):
    response = client.get("/help/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Hướng dẫn sử dụng" in text
    for title in ("Cán bộ cấp tỉnh", "Thành viên hội đồng", "Đại diện cơ sở", "Quản trị hệ thống"):
        assert title in text
    body = response.content.decode()
    assert body.index('data-testid="guide-public"') < body.index('data-testid="guide-province-officer"')
    assert "Hướng dẫn của bạn" in text


def test_a_signed_in_user_sees_their_own_role_s_guide_first(client):
    from tests.factories import make_user

    client.force_login(make_user("judge"))
    body = client.get("/help/").content.decode()
    cards = re.findall(r'data-testid="guide-([a-z-]+)"', body)
    assert cards[0] == "judge" and len(cards) == len(GUIDES)
    assert 'href="/help/judge/"' in body


def test_a_role_page_reads_in_vietnamese_and_in_english_with_its_screenshots(client):
    response = client.get("/help/province-officer/")
    text = page_text(response)
    assert "Hướng dẫn sử dụng: Cán bộ cấp tỉnh" in text
    assert "Trên thanh menu, mở Cơ sở." in text  # the step quotes the menu entry as the menu reads
    assert "Bấm Đăng ký cơ sở." in text
    assert (
        'src="/static/help/shots/vi/province-officer-register-establishment.png"' in response.content.decode()
    )
    client.cookies["django_language"] = "en"
    response = client.get("/help/province-officer/")
    text = page_text(response)
    assert "User guide: Province officer" in text and "Press Register an establishment." in text
    assert (
        'src="/static/help/shots/en/province-officer-register-establishment.png"' in response.content.decode()
    )


def test_an_unknown_role_is_not_found(client):
    assert client.get("/help/mayor/").status_code == 404
    assert client.get("/help/mayor.pdf").status_code == 404


def test_every_page_links_to_the_guide(client):
    body = client.get("/catalogue/").content.decode()
    assert body.count('href="/help/"') == 2  # the header's question mark and the footer


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def test_the_pdf_of_a_role_has_its_steps_in_vietnamese_and_its_screenshots(client):
    response = client.get("/help/judge.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.count(b"/Subtype /Image") == 2  # first steps and scoring
    text = pdf_text(response.content)
    assert "Hướng dẫn sử dụng: Thành viên hội đồng" in text
    assert "Chấm điểm hồ sơ" in text and "Trên thanh menu, mở Bình chọn" in text
    client.cookies["django_language"] = "en"
    text = pdf_text(client.get("/help/judge.pdf").content)
    assert "User guide: Council member" in text and "In the menu, open Selection" in text
