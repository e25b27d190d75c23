"""Uploads in one shared storage: S3-compatible object storage (django-storages) when S3_BUCKET is set,
tested against moto's S3 server on 127.0.0.1 (a local emulator: no cloud account)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import StorageHandler

from khuyencong.core.uploads import local_path
from khuyencong.settings import storages

# long, and without the test database: run first (see conftest.pytest_collection_modifyitems)
pytestmark = pytest.mark.early

PORT = 18160


@pytest.fixture(scope="module")
def s3_endpoint():
    moto = Path(sys.executable).parent / "moto_server"
    if not moto.exists():
        pytest.skip("moto_server is not installed (dev dependency moto[server])")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(PORT)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        endpoint = f"http://127.0.0.1:{PORT}"
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).create_bucket(Bucket="khuyencong")
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _env(endpoint):
    return {
        "S3_BUCKET": "khuyencong",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }


def test_without_a_bucket_uploads_stay_in_folders():
    config = storages({}, production=True)
    assert config["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert "private" not in config


def test_two_app_servers_see_the_same_uploads_in_object_storage(s3_endpoint):
    config = storages(_env(s3_endpoint), production=True)
    server_a, server_b = StorageHandler(config), StorageHandler(config)  # two processes' storages
    photo = server_a["default"].save("products/photo.jpg", ContentFile(b"\xff\xd8\xff photo"))
    document = server_a["private"].save("dossiers/form.pdf", ContentFile(b"%PDF-1.7 form"))
    with server_b["default"].open(photo) as f:
        assert f.read() == b"\xff\xd8\xff photo"
    with server_b["private"].open(document) as f:
        assert f.read() == b"%PDF-1.7 form"
    assert server_b["default"].url(photo) == f"{s3_endpoint}/khuyencong/media/{photo}"  # public, plain URL
    assert "Signature" in server_b["private"].url(document) or "X-Amz" in server_b["private"].url(document)


def test_an_import_file_in_object_storage_is_read_through_a_local_copy(s3_endpoint):
    config = storages(_env(s3_endpoint), production=True)
    storage = StorageHandler(config)["private"]
    name = storage.save("imports/establishments.csv", ContentFile("code,name\nCM-1,Khô mực\n".encode()))

    class Stored:  # what a FileField gives: a name and its storage
        def __init__(self):
            self.name, self.storage = name, storage

        @property
        def path(self):
            return self.storage.path(self.name)

    with local_path(Stored()) as path:
        assert Path(path).read_text(encoding="utf-8") == "code,name\nCM-1,Khô mực\n"
    assert not Path(path).exists()  # the copy is gone afterwards
