"""The public pages served cheaply to anonymous visitors show exactly what the page rendered in full shows.

An anonymous visitor's verification page is the answer alone rendered into a frame kept per language (with the
page's address and the visitor's CSRF token put in), its certificate read by one prepared query; cached catalogue
pages carry a CSRF token made by core.csrf. These tests compare with the page rendered in full (the path a
logged-in user or a visitor with a session takes) and check the token is each visitor's own and accepted.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from khuyencong.catalogue import views
from khuyencong.core import csrf
from khuyencong.documents.models import IssuedDocument
from tests.catalogue.factories import ResultFactory, certified_product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def _same_token(body: str) -> str:
    return _TOKEN.sub(r"\1TOKEN", body)


def _both(monkeypatch, path: str, language: str = "vi") -> tuple:
    """The page as an anonymous visitor gets it, and as rendered in full."""

    def get():
        visitor = Client()
        if language != "vi":
            visitor.cookies["django_language"] = language
        return visitor.get(path)

    cheap = get()
    with monkeypatch.context() as patched:
        patched.setattr(views, "_cacheable_visitor", lambda request: False)
        full = get()
    return cheap, full


def _certificates():
    _, valid = certified_product(name="Khô mực <Sông Đốc> & cá", number="GCN-12/2024")
    _, expired = certified_product(name="Mắm ba khía")
    expired.valid_until = datetime.date(2020, 1, 1)
    expired.save()
    _, revoked = certified_product(name="Chiếu cói")
    revoked.revoked_at = timezone.now()
    revoked.revoked_reason = "Vi phạm an toàn thực phẩm"
    revoked.save()
    _, signed = certified_product(name="Nón lá")
    IssuedDocument.objects.create(
        kind="certificate",
        round=signed.result.round,
        certificate=signed,
        number=signed.number,
        status="signed",
        signed_sha256="ab" * 32,
        signer_name="Nguyễn Văn A",
        signed_at=timezone.now(),
    )
    ResultFactory(product=ProductFactory(name="Khô cá"), certificate_no="45/GCN-2019")
    return valid, expired, revoked, signed


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_anonymous_verification_page_is_the_page_rendered_in_full(monkeypatch, language):
    valid, expired, revoked, signed = _certificates()
    paths = [
        "/verify/gcn-12%2F2024",  # by number, in another case
        f"/verify/{valid.token}/",
        f"/verify/{expired.token}",
        f"/verify/{revoked.number}",
        f"/verify/{signed.token}",
        "/verify/45%2FGCN-2019",  # on record only
        "/verify/%3Cb%3EGCN%22%26x%3C%2Fb%3E?next=%3Ci%3E",  # not found: the typed key and address, escaped
    ]
    shown = [
        ("Khô mực &lt;Sông Đốc&gt; &amp; cá", "Còn hiệu lực" if language == "vi" else "Valid", "2024"),
        ("Khô mực &lt;Sông Đốc&gt; &amp; cá", "20/10/2027", "Phó Chủ tịch UBND tỉnh"),
        ("Mắm ba khía", "Hết hiệu lực" if language == "vi" else "Expired", "01/01/2020"),
        ("Chiếu cói", "Vi phạm an toàn thực phẩm", "Đã bị thu hồi" if language == "vi" else "Revoked"),
        ("Nón lá", "Nguyễn Văn A", "ab" * 32),
        ("Khô cá", "45/GCN-2019", ""),
        (
            "&lt;b&gt;GCN&quot;&amp;x&lt;/b&gt;",
            'value="/verify/%3Cb%3EGCN%22&amp;x%3C/b%3E?next=%3Ci%3E"',
            "",
        ),
    ]
    for path, texts in zip(paths, shown, strict=True):
        cheap, full = _both(monkeypatch, path, language)
        assert cheap.status_code == full.status_code == (404 if "next" in path else 200)
        body = cheap.content.decode()
        assert _same_token(body) == _same_token(full.content.decode()), path
        assert all(text in body for text in texts), (path, texts)
        assert "@@" not in body and "<kc-" not in body


def test_an_anonymous_verification_page_follows_a_revocation_at_once(client):
    """The page a worker keeps is dropped when the catalogue changes (revoking moves its version on)."""
    _, cert = certified_product(name="Khô mực")
    assert "Còn hiệu lực" in Client().get(f"/verify/{cert.number}").content.decode()
    cert.revoked_at = timezone.now()
    cert.save()
    body = Client().get(f"/verify/{cert.number}").content.decode()
    assert "Đã bị thu hồi" in body and "Còn hiệu lực" not in body


def test_the_verification_page_is_kept_in_the_worker_only():
    """Thousands of numbers each asked rarely: cheaper rendered again than fetched from the shared cache."""
    from django.core.cache import cache

    _, cert = certified_product()
    Client().get(f"/verify/{cert.number}")
    Client().get("/catalogue/")
    keys = [key for key in views._LOCAL_PAGES]
    assert len(keys) == 2
    verify_key = next(k for k in keys if k != keys[-1])
    assert cache.get(verify_key) is None
    assert cache.get(keys[-1]) is not None  # the catalogue page is shared with the other processes


@pytest.mark.parametrize("path", ["/catalogue/", "/verify/{number}"])
def test_each_visitor_of_a_kept_page_gets_their_own_token_which_is_accepted(path):
    _, cert = certified_product(name="Khô cá sặc")
    path = path.format(number=cert.number)
    Client().get(path)  # the page is now kept
    tokens = set()
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(path)
        token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.add(token)
        assert visitor.cookies["csrftoken"].value  # the secret the token is checked against
        posted = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert posted.status_code == 302
    assert len(tokens) == 2
    # a visitor who already holds a CSRF cookie keeps it, with a new mask on each page
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(path)
    secret = visitor.cookies["csrftoken"].value
    again = visitor.get(path).content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert visitor.cookies["csrftoken"].value == secret
    assert visitor.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": again}).status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    assert (
        stranger.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": again}).status_code == 403
    )


def test_csrf_random_chars_are_the_allowed_ones_and_differ():
    strings = {csrf.random_chars() for _ in range(50)}
    assert len(strings) == 50
    assert all(len(s) == 32 and re.fullmatch(r"[A-Za-z0-9]{32}", s) for s in strings)
    # every allowed character turns up (a draw that skipped some would be biased)
    assert set("".join(csrf.random_chars(64) for _ in range(200))) == set(csrf._CHARS)


@pytest.mark.django_db(transaction=True)
def test_verification_outside_a_transaction_reads_the_same_certificate():
    """Outside a transaction (as in a request) PostgreSQL plans the read in the written join order, in a
    transaction of its own: the same certificate comes back, and no transaction is left open."""
    from django.db import connection

    from khuyencong.catalogue import selectors

    _, cert = certified_product(name="Khô mực", number="GCN-7/2024")
    found = selectors.verify("gcn-7/2024")
    assert (found.number, found.status, found.product.name) == ("GCN-7/2024", "valid", "Khô mực")
    assert found.establishment.province.name and found.round.year == 2024
    assert selectors.verify(str(cert.token)).certificate.pk == cert.pk
    assert not connection.in_atomic_block
