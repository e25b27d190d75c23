"""The guide's screenshot capture (`khuyencong guide`) works end to end: Chromium logs in as a demo role
through the real form, in both languages, and writes small palette PNGs at 1280 px into a folder."""

import pytest
from PIL import Image

from khuyencong.core.demo import DEMO_PASSWORD, load_demo
from khuyencong.help.capture import capture
from khuyencong.help.guide import BY_SLUG


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_capture_photographs_a_role_s_pages_in_both_languages(live_server, tmp_path):
    load_demo()
    written = capture(
        live_server.url, tmp_path, roles=["judge", "public"], password=DEMO_PASSWORD, log=lambda _: None
    )
    expected = {
        f"{language}/{guide}-{task.slug}.png"
        for guide in ("judge", "public")
        for task in BY_SLUG[guide].tasks
        for language in ("vi", "en")
    }
    assert {f"{path.parent.name}/{path.name}" for path in written} == expected
    for path in written:
        with Image.open(path) as image:
            assert image.width == 1280 and image.mode == "P"  # palette: a few tens of KB
        assert path.stat().st_size < 150_000
    # the judge's page is theirs, in each language
    vi = (tmp_path / "vi" / "judge-score.png").read_bytes()
    en = (tmp_path / "en" / "judge-score.png").read_bytes()
    assert vi != en
