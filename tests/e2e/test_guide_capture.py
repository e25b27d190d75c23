"""The guide's screenshot capture (`khuyencong guide`) works end to end: Chromium logs in as a role's account
through the real form, in both languages, and writes small palette PNGs at 1280 px into a folder."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from PIL import Image

from khuyencong.help.capture import capture
from khuyencong.help.guide import BY_SLUG
from tests.factories import make_user


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_capture_photographs_a_role_s_pages_in_both_languages(live_server, tmp_path):
    # the council member's pages (their account, the selection page) need no demo records
    member = make_user("judge", username="thanhvien")

    def run():
        # in a thread of its own, as `khuyencong guide` runs it in a process of its own: Playwright's sync API
        # refuses a thread where another browser test (pytest-playwright) left an asyncio loop running
        try:
            return capture(
                live_server.url,
                tmp_path,
                roles=["judge"],
                users={"judge": member.username},
                password="pw-test-123",
                log=print,
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        written = pool.submit(run).result()
    expected = {
        f"{language}/judge-{task.slug}.png" for task in BY_SLUG["judge"].tasks for language in ("vi", "en")
    }
    assert {f"{path.parent.name}/{path.name}" for path in written} == expected
    for path in written:
        with Image.open(path) as image:
            assert image.width == 1280 and image.mode == "P"  # a palette: a few tens of KB
        assert path.stat().st_size < 150_000
    # each language's page is photographed in that language
    assert (tmp_path / "vi" / "judge-score.png").read_bytes() != (
        tmp_path / "en" / "judge-score.png"
    ).read_bytes()
