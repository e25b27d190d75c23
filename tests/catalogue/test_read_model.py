"""The catalogue's read model follows every change that moves a product in or out of the catalogue."""

import pytest
from django.utils import timezone

from khuyencong.catalogue import selectors, services
from khuyencong.catalogue.models import CatalogueEntry
from tests.catalogue.factories import ResultFactory, RoundFactory, certified_product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _rows():
    return sorted(
        CatalogueEntry.objects.values_list("product_id", "level", "year", "levels", "years", "search_text")
    )


def test_a_certified_result_puts_the_product_in_with_its_best_level_and_year(client):
    product, _cert = certified_product(name="Khô mực Sông Đốc", level="province", year=2022)
    entry = CatalogueEntry.objects.get(product=product)
    assert (entry.level, entry.year) == ("province", 2022)
    ResultFactory(product=product, round=RoundFactory(level="national", year=2023, province_id=None))
    entry.refresh_from_db()
    assert (entry.level, entry.year, entry.levels, entry.years) == (
        "national",
        2023,
        " province national ",
        " 2022 2023 ",
    )
    assert "kho muc song doc" in entry.search_text


def test_revoking_archiving_and_renaming_update_it(client):
    product, cert = certified_product(name="Mắm ba khía Rạch Gốc")
    cert.revoked_at = timezone.now()
    cert.save()
    assert not CatalogueEntry.objects.filter(product=product).exists()
    cert.revoked_at = None
    cert.save()
    assert CatalogueEntry.objects.filter(product=product).exists()
    establishment = product.establishment
    establishment.name = "Hợp tác xã Đất Mũi"
    establishment.save()
    assert "hop tac xa dat mui" in CatalogueEntry.objects.get(product=product).search_text
    product.archived_at = timezone.now()
    product.save()
    assert not CatalogueEntry.objects.filter(product=product).exists()


def test_a_result_not_certified_keeps_the_product_out():
    ResultFactory(product=ProductFactory(name="Không đạt"), certified=False)
    assert CatalogueEntry.objects.count() == 0


def test_rebuild_gives_the_rows_kept_step_by_step():
    a, _ = certified_product(name="Chiếu cói", level="province", year=2021)
    ResultFactory(product=a, round=RoundFactory(level="region", year=2020, province_id=None))
    certified_product(name="Nón lá", level="national", year=2024)
    kept = _rows()
    assert services.rebuild_catalogue() == 2
    assert _rows() == kept


def test_cached_counts_and_years_change_when_a_product_is_certified(client):
    certified_product(name="Tôm khô", year=2021)
    assert selectors.catalogue().count() == 1
    assert selectors.certification_years() == [2021]
    certified_product(name="Tôm khô loại 1", year=2024)
    assert selectors.catalogue().count() == 2
    assert selectors.certification_years() == [2024, 2021]
    assert "2 sản phẩm" in client.get("/catalogue/").content.decode()


def test_keyset_pages_follow_the_catalogue_order():
    for i in range(5):
        certified_product(name=f"Sản phẩm {i}", year=2020 + i)
    listing = selectors.catalogue(sort="newest")
    everything = list(listing)
    assert [p.cert_year for p in everything] == [2024, 2023, 2022, 2021, 2020]
    after = listing.after(listing.cursor_of(everything[1]))
    assert [p.pk for p in after[:10]] == [p.pk for p in everything[2:]]


def test_anonymous_pages_come_from_the_cache_until_the_catalogue_changes(client, django_assert_num_queries):
    from django.test import Client

    certified_product(name="Khô cá sặc")
    first = client.get("/catalogue/").content.decode()
    assert "Khô cá sặc" in first
    with django_assert_num_queries(0):  # the page (and the catalogue version) come from the cache
        again = Client().get("/catalogue/")
    assert "Khô cá sặc" in again.content.decode()
    certified_product(name="Nón lá Gò Găng")
    assert "Nón lá Gò Găng" in Client().get("/catalogue/").content.decode()


def test_a_cached_page_carries_each_visitors_own_csrf_token():
    from django.test import Client

    certified_product(name="Khô cá sặc")
    Client().get("/catalogue/")
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get("/catalogue/").content.decode()
    assert "@@csrf-token@@" not in body
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/catalogue/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_page_a_worker_holds_is_not_served_once_another_process_changed_the_catalogue(monkeypatch):
    """Each worker keeps the pages it served in memory; a change made by another process (seen here only through
    the shared cache's version) stops them being served once the version is read again."""
    import time

    from django.core.cache import cache
    from django.test import Client

    from khuyencong.registry.models import Product

    product, _cert = certified_product(name="Khô cá sặc")
    assert "Khô cá sặc" in Client().get("/catalogue/").content.decode()
    # another process renames the product and moves the version on (no signal reaches this process)
    Product.objects.filter(pk=product.pk).update(name="Khô cá lóc")
    CatalogueEntry.objects.filter(product=product).update(name="Khô cá lóc")
    cache.set(services.VERSION_KEY, time.time_ns(), None)
    monkeypatch.setattr(services, "VERSION_RECHECK_SECONDS", 0)
    body = Client().get("/catalogue/").content.decode()
    assert "Khô cá lóc" in body and "Khô cá sặc" not in body


def test_a_page_a_worker_holds_is_dropped_after_its_max_age(monkeypatch):
    """Pages whose content depends on the day (a certificate's validity) are never kept in memory longer than in
    the shared cache, even when nothing in the catalogue changed."""
    import time

    from django.test import Client

    from khuyencong.catalogue import views
    from khuyencong.registry.models import Product

    product, cert = certified_product(name="Khô cá sặc")
    assert "Khô cá sặc" in Client().get(f"/verify/{cert.token}").content.decode()
    Product.objects.filter(pk=product.pk).update(name="Khô cá lóc")  # no signal: the version stays
    assert "Khô cá sặc" in Client().get(f"/verify/{cert.token}").content.decode()  # still the kept page
    later_wall, later_mono = (
        time.time() + views.VERIFY_MAX_AGE + 1,
        time.monotonic() + views.VERIFY_MAX_AGE + 1,
    )
    monkeypatch.setattr(time, "time", lambda: later_wall)
    monkeypatch.setattr(time, "monotonic", lambda: later_mono)
    assert "Khô cá lóc" in Client().get(f"/verify/{cert.token}").content.decode()
