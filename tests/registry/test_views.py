import pytest
from django.urls import reverse

from khuyencong.registry.models import Establishment
from tests.factories import TEST_PASSWORD, EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


def history_of(page: str) -> str:
    """The history card of a page (what a user reads under "Lịch sử thay đổi")."""
    start = page.index('aria-labelledby="history-title"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def client_for(client):
    def login(user):
        client.login(username=user.username, password=TEST_PASSWORD)
        return client

    return login


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("registry:establishment_list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_list_shows_the_officers_province_only(client_for, officer):
    EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    EstablishmentFactory(name="Bánh tráng Thuận Hưng", province_id=92, commune_id=31135)
    body = client_for(officer).get(reverse("registry:establishment_list")).content.decode()
    assert "Công ty Khô mực Sông Đốc" in body and "Thuận Hưng" not in body


def test_unaccented_search_finds_the_establishment(client_for, officer):
    EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    EstablishmentFactory(name="HTX Tôm sạch")
    body = client_for(officer).get(reverse("registry:establishment_list"), {"q": "kho muc"}).content.decode()
    assert "Công ty Khô mực Sông Đốc" in body and "HTX Tôm sạch" not in body


def test_a_repeated_search_follows_new_and_renamed_establishments(client_for, officer):
    """A search's page is kept until the data changes: the same search after a write shows the write."""
    first = EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    c = client_for(officer)
    url = reverse("registry:establishment_list")
    assert "Công ty Khô mực Sông Đốc" in c.get(url, {"q": "KHO MUC"}).content.decode()
    EstablishmentFactory(name="Cơ sở khô mực Năm Căn")
    body = c.get(url, {"q": "KHO MUC"}).content.decode()
    assert "Công ty Khô mực Sông Đốc" in body and "Cơ sở khô mực Năm Căn" in body
    first.name = "Công ty Tôm khô Sông Đốc"
    first.save()
    body = c.get(url, {"q": "kho muc"}).content.decode()
    assert "Công ty" not in body and "Cơ sở khô mực Năm Căn" in body


def test_the_list_makes_a_fixed_number_of_queries(client_for, officer, django_assert_max_num_queries):
    for _ in range(30):
        ProductFactory()
    c = client_for(officer)
    with django_assert_max_num_queries(8):
        c.get(reverse("registry:establishment_list"))


def test_another_provinces_establishment_is_not_found(client_for, officer):
    other = EstablishmentFactory(province_id=92, commune_id=31135)
    assert (
        client_for(officer).get(reverse("registry:establishment_detail", args=[other.pk])).status_code == 404
    )


def test_an_officer_registers_an_establishment_through_the_form(client_for, officer):
    from khuyencong.core.demo import tax_code

    response = client_for(officer).post(
        reverse("registry:establishment_create"),
        {
            "code": "CM-777",
            "name": "Cơ sở Mắm tôm Chà Là",
            "kind": "household",
            "tax_code": tax_code("200777777"),
            "province": 96,
            "commune": 32098,
        },
    )
    assert response.status_code == 302
    est = Establishment.objects.get(code="CM-777")
    history = history_of(client_for(officer).get(response.url).content.decode())
    assert "Tạo mới" in history and "Cơ sở Mắm tôm Chà Là" in history and str(officer) in history
    assert est.commune_id == 32098


def test_a_bad_tax_code_gets_a_field_message_and_nothing_is_saved(client_for, officer):
    response = client_for(officer).post(
        reverse("registry:establishment_create"),
        {
            "code": "CM-778",
            "name": "Cơ sở B",
            "kind": "household",
            "tax_code": "123",
            "province": 96,
        },
    )
    assert response.status_code == 200
    assert "123" in response.content.decode()
    assert not Establishment.objects.filter(code="CM-778").exists()


def test_a_possible_duplicate_is_shown_before_saving(client_for, officer):
    first = EstablishmentFactory(name="Hộ kinh doanh Nguyễn Văn Tài", commune_id=32098)
    c = client_for(officer)
    post = {
        "code": "CM-779",
        "name": "HKD Nguyễn Văn Tài",
        "kind": "household",
        "province": 96,
        "commune": 32098,
    }
    response = c.post(reverse("registry:establishment_create"), post)
    body = response.content.decode()
    assert response.status_code == 200 and reverse("registry:establishment_detail", args=[first.pk]) in body
    assert not Establishment.objects.filter(code="CM-779").exists()
    response = c.post(reverse("registry:establishment_create"), {**post, "confirm_not_duplicate": "on"})
    assert response.status_code == 302


def test_the_duplicate_hint_answers_htmx_while_typing(client_for, officer):
    EstablishmentFactory(name="Hợp tác xã Tôm sạch Đầm Dơi", commune_id=32152)
    body = (
        client_for(officer)
        .get(
            reverse("registry:duplicates_check"),
            {"name": "htx tom sach dam doi", "province": 96, "commune": 32152},
        )
        .content.decode()
    )
    assert "Hợp tác xã Tôm sạch Đầm Dơi" in body


def test_an_edit_shows_in_the_history(client_for, officer):
    est = EstablishmentFactory(name="Cơ sở Cũ", kind="household")
    c = client_for(officer)
    response = c.post(
        reverse("registry:establishment_edit", args=[est.pk]),
        {
            "code": est.code,
            "name": "Cơ sở Mới",
            "kind": "household",
            "tax_code": est.tax_code,
            "province": 96,
            "commune": 32098,
        },
    )
    assert response.status_code == 302
    history = history_of(c.get(reverse("registry:establishment_detail", args=[est.pk])).content.decode())
    assert "Cập nhật" in history and "Cơ sở Cũ → Cơ sở Mới" in history and str(officer) in history


def test_a_viewer_cannot_open_the_create_form(client_for):
    assert client_for(make_user("viewer")).get(reverse("registry:establishment_create")).status_code == 403


def test_a_product_with_a_fake_image_is_refused(client_for, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = ProductFactory()
    fake = SimpleUploadedFile("photo.jpg", b"not really a jpeg", content_type="image/jpeg")
    c = client_for(officer)
    response = c.post(reverse("registry:product_add_photo", args=[product.pk]), {"image": fake}, follow=True)
    assert product.photos.count() == 0
    assert response.status_code == 200


def test_a_real_photo_gets_a_thumbnail(client_for, officer):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (1600, 1200), "orange").save(buf, "JPEG")
    product = ProductFactory()
    up = SimpleUploadedFile("muc.jpg", buf.getvalue(), content_type="image/jpeg")
    client_for(officer).post(
        reverse("registry:product_add_photo", args=[product.pk]), {"image": up, "caption": "Khô mực"}
    )
    photo = product.photos.get()
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480


def test_every_registry_page_renders_for_an_officer(client_for, officer):
    product = ProductFactory()
    c = client_for(officer)
    for url in [
        reverse("core:home"),
        reverse("registry:establishment_list"),
        reverse("registry:establishment_create"),
        reverse("registry:establishment_detail", args=[product.establishment.pk]),
        reverse("registry:establishment_edit", args=[product.establishment.pk]),
        reverse("registry:product_list"),
        reverse("registry:product_create"),
        reverse("registry:product_detail", args=[product.pk]),
        reverse("registry:product_edit", args=[product.pk]),
        reverse("accounts:profile"),
    ]:
        assert c.get(url).status_code == 200, url


def test_the_ui_is_vietnamese_first_and_english_switchable(client_for, officer):
    c = client_for(officer)
    assert "Cơ sở" in c.get(reverse("registry:establishment_list")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Rural industrial establishments" in c.get(reverse("registry:establishment_list")).content.decode()


def test_the_list_exports_what_it_shows(client_for, officer):
    EstablishmentFactory(name="Công ty TNHH Khô mực Sông Đốc")
    EstablishmentFactory(name="HTX Tôm sạch")
    c = client_for(officer)
    body = c.get(reverse("registry:establishment_list"), {"q": "kho muc"}).content.decode()
    assert "/data/export/establishments.csv?q=kho+muc" in body
    csv = b"".join(c.get("/data/export/establishments.csv?q=kho+muc").streaming_content).decode("utf-8-sig")
    assert "Khô mực Sông Đốc" in csv and "HTX Tôm sạch" not in csv


def test_a_refused_page_explains_itself_in_vietnamese(client_for):
    response = client_for(make_user("viewer")).get(reverse("registry:establishment_create"))
    assert response.status_code == 403
    assert "Bạn không được mở trang này" in response.content.decode()


def test_history_shows_yes_no_not_python_values(client_for, officer):
    from khuyencong.registry import services

    product = ProductFactory(is_set=False)
    services.update_product(user=officer, product=product, data={"is_set": True})
    body = client_for(officer).get(reverse("registry:product_detail", args=[product.pk])).content.decode()
    assert "không → có" in body and "False" not in body


def _row_of(body: str, name: str) -> str:
    """The table row that names `name`."""
    start = body.rindex("<tr>", 0, body.index(name))
    return body[start : body.index("</tr>", start)]


def test_the_same_search_by_readers_of_different_places_shows_each_their_own(client, officer):
    """The results of a search are kept for everyone asking the same list: a province's officer must not get the
    whole country's page that an administrator asked for just before."""
    EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    EstablishmentFactory(name="Cơ sở khô mực Phan Thiết", province_id=92, commune_id=31135)
    admin = make_user("admin", username="boss")
    url = reverse("registry:establishment_list")
    client.login(username=admin.username, password=TEST_PASSWORD)
    body = client.get(url, {"q": "kho muc"}).content.decode()
    assert "Sông Đốc" in body and "Phan Thiết" in body and "2 cơ sở" in body
    client.logout()
    client.login(username=officer.username, password=TEST_PASSWORD)
    body = client.get(url, {"q": "kho muc"}).content.decode()
    assert "Sông Đốc" in body and "Phan Thiết" not in body and "1 cơ sở" in body


def test_a_new_product_shows_in_the_repeated_lists_count(client_for, officer):
    establishment = EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    ProductFactory(establishment=establishment)
    c = client_for(officer)
    url = reverse("registry:establishment_list")
    assert '<td class="text-end">1</td>' in _row_of(c.get(url, {"q": "kho muc"}).content.decode(), "Sông Đốc")
    ProductFactory(establishment=establishment)
    assert '<td class="text-end">2</td>' in _row_of(c.get(url, {"q": "kho muc"}).content.decode(), "Sông Đốc")


def test_the_results_speak_the_readers_language(client_for, officer):
    EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    c = client_for(officer)
    url = reverse("registry:establishment_list")
    assert "1 cơ sở" in c.get(url, {"q": "kho muc"}).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = c.get(url, {"q": "kho muc"}).content.decode()
    assert "1 establishment" in body and "cơ sở" not in body.split('id="results"')[1]


def test_typing_a_search_answers_the_results_alone(client_for, officer):
    EstablishmentFactory(name="Công ty Khô mực Sông Đốc")
    c = client_for(officer)
    url = reverse("registry:establishment_list")
    c.get(url, {"q": "kho muc"})  # the whole page first: its results are then kept
    body = c.get(url, {"q": "kho muc"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Sông Đốc" in body and "1 cơ sở" in body and "<html" not in body and 'id="results"' not in body
