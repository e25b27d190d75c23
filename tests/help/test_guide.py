"""The user guide stays true to the interface: every page a step names still answers for that role, every
label it quotes is still on that page in both languages, every screenshot it shows exists."""

import html
import re
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django.utils.html import strip_tags
from PIL import Image

from khuyencong.help.guide import BY_SLUG, GUIDES, screenshot_name
from khuyencong.help.selectors import ANONYMOUS_SCREENS, SCREENS, screen_path
from khuyencong.help.shots import LANGUAGES, SHOTS_DIR

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(strip_tags(body)).split())


def anonymous_client(language: str) -> Client:
    visitor = Client()
    visitor.cookies["django_language"] = language
    return visitor


def problems_of_guide(client, guides=GUIDES) -> list[str]:
    """What no longer holds: a page that does not answer 200 for the role, a quoted label not on its page."""
    problems = []
    for guide in guides:
        user = get_user_model().objects.get(username=guide.demo_user) if guide.demo_user else None
        client.logout()
        if user:
            client.force_login(user)
        for language in LANGUAGES:
            client.cookies["django_language"] = language
            pages: dict[str, str] = {}
            for task in guide.tasks:
                for number, step in enumerate(task.steps, 1):
                    where = f"{guide.slug}/{task.slug} step {number} ({language})"
                    screen = task.screen_of(step)
                    if screen is None:
                        # a page the demo has no record for: the label must at least be one the catalogues know
                        for label in step.labels:
                            with translation.override("en"):
                                english = str(label)
                            with translation.override("vi"):
                                if str(label) == english:
                                    problems.append(f"{where}: {english!r} is not a label of the interface")
                        continue
                    if screen not in pages:
                        path = screen_path(screen, user)
                        if path is None:
                            problems.append(f"{where}: the demo has no page for {screen!r}")
                            pages[screen] = ""
                            continue
                        fetch = anonymous_client(language).get if screen in ANONYMOUS_SCREENS else client.get
                        response = fetch(path)
                        if response.status_code != 200:
                            problems.append(f"{where}: {path} answered {response.status_code}")
                            pages[screen] = ""
                            continue
                        pages[screen] = page_text(response)
                    text = pages[screen]
                    if not text:
                        continue
                    with translation.override(language):
                        labels = [str(label) for label in step.labels]
                    problems += [
                        f"{where}: {label!r} is not on {screen}" for label in labels if label not in text
                    ]
    return problems


@pytest.fixture
def demo():
    from khuyencong.core.demo import load_demo

    load_demo()


def test_every_page_and_label_the_guide_quotes_is_on_the_real_pages(client, demo):
    assert problems_of_guide(client) == []


def test_a_label_the_page_no_longer_shows_is_reported(client, demo, monkeypatch):
    """The check above fails when the guide drifts: a step quoting a button its page does not have."""
    from dataclasses import replace

    from khuyencong.help.guide import UI, Step

    guide = BY_SLUG["province-officer"]
    task = guide.tasks[1]
    drifted = replace(task, steps=(Step(task.steps[0].text, (UI.SIGN_ALL,), screen="establishments"),))
    problems = problems_of_guide(client, [replace(guide, tasks=(drifted,))])
    assert problems == [
        "province-officer/register-establishment step 1 (vi): 'Ký số quyết định và tất cả giấy chứng nhận' "
        "is not on establishments",
        "province-officer/register-establishment step 1 (en): 'Sign the decision and all certificates' "
        "is not on establishments",
    ]


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


def test_the_council_member_s_score_step_shows_a_real_score_sheet_once_scoring_is_open(client, demo):
    """The demo has no round being scored: its score step shows the selection page; the capture opens scoring
    (through the selection services) in its throwaway database, and the step then shows a real score sheet."""
    from khuyencong.help.services import open_scoring_for
    from khuyencong.selection.models import Round

    judge = get_user_model().objects.get(username=BY_SLUG["judge"].demo_user)
    assert screen_path("judge_score", judge) == "/selection/"
    round_ = open_scoring_for(judge)
    assert round_ is not None and Round.objects.get(pk=round_.pk).status == "scoring"
    path = screen_path("judge_score", judge)
    assert path.startswith("/selection/dossiers/") and path.endswith("/score/")
    client.force_login(judge)
    for language, labels in (
        ("vi", ("Lưu nháp", "Nộp và niêm phong")),
        ("en", ("Save draft", "Submit and seal")),
    ):
        client.cookies["django_language"] = language
        response = client.get(path)
        assert response.status_code == 200
        text = page_text(response)
        assert all(label in text for label in labels), language
