"""Production static files: collectstatic with the hashed manifest works and pages link the hashed names."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

SOURCE_MAP = re.compile(r"sourceMappingURL=(\S+?)(?:\s|\*/|$)")


def test_no_vendored_asset_points_at_a_source_map_that_is_not_shipped():
    dangling = []
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if not path.endswith((".js", ".css")):
                continue
            full = Path(storage.path(path))
            for ref in SOURCE_MAP.findall(full.read_text(encoding="utf-8", errors="replace")):
                if not ref.startswith("data:") and not (full.parent / ref).exists():
                    dangling.append(f"{path} -> {ref}")
    assert dangling == []


@pytest.mark.django_db
def test_collectstatic_with_the_manifest_succeeds_and_pages_use_hashed_names(tmp_path, client):
    manifest = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=manifest):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert (tmp_path / "staticfiles.json").exists()
        from tests.factories import make_user

        make_user("province_officer", username="sct")
        client.login(username="sct", password="pw-test-123")
        html = client.get("/").content.decode()
    hashed = re.search(r'href="/static/vendor/bootstrap/bootstrap\.min\.([0-9a-f]{12})\.css"', html)
    assert hashed, "the page does not link the hashed stylesheet"
    assert (tmp_path / "vendor" / "bootstrap" / f"bootstrap.min.{hashed.group(1)}.css").exists()
