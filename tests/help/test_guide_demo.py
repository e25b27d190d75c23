"""The user guide stays true to the demo's real pages: every page a step names still answers for that role,
every label it quotes is still on that page in both languages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from khuyencong.help.guide import BY_SLUG, GUIDES
from khuyencong.help.selectors import ANONYMOUS_SCREENS, screen_path
from khuyencong.help.shots import LANGUAGES
from tests.conftest import shared_data
from tests.help.test_guide import page_text

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("help-demo")]


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


def _load_demo():
    from khuyencong.core.demo import load_demo

    return load_demo()


# The demo is loaded once for the module's tests (each ~30 s to load); what a test writes is undone after it.
demo = shared_data("demo", _load_demo)


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
