"""The catalogue and the project list hand out what they show as XLSX (streamed through the one writer)."""

import io

import pytest
from openpyxl import load_workbook

from tests.catalogue.factories import certified_product
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [
        list(r) for r in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    ]


def test_the_catalogue_as_xlsx_holds_the_filtered_products(client):
    certified_product(name="Khô mực Sông Đốc")
    certified_product(name="Chiếu cói Kim Sơn")
    body = client.get("/catalogue/").content.decode()
    assert "/catalogue/export.xlsx" in body
    rows = _sheet(client.get("/catalogue/export.xlsx", {"q": "kho muc"}))
    assert rows[0][:2] == ["code", "name"]
    assert [r[1] for r in rows[1:]] == ["Khô mực Sông Đốc"]


def test_the_project_list_links_its_filtered_export(client):
    client.force_login(make_user("province_officer", province_id=96))
    body = client.get("/programme/", {"status": "settled"}).content.decode()
    assert "/data/export/projects.xlsx?status=settled" in body
