"""A province's batch to a region round and the organiser's screening of it, through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khuyencong.geo.models import Province
from khuyencong.selection import services
from khuyencong.selection.models import BatchStatus, DossierStatus, NominationBatch
from tests.factories import ProductFactory, make_user
from tests.selection.factories import make_round
from tests.selection.test_levels import _decided, _organiser

pytestmark = pytest.mark.django_db


def _draft_batch(province_officer):
    product = ProductFactory()
    source, _ = _decided("province", f"API-{product.pk}", [product], province_id=96)
    region = make_round(level="region", province_id=None, region=Province.objects.get(code=96).region)
    [dossier] = services.nominate(user=province_officer, source=source, target=region)
    return dossier.batch


def test_a_province_sends_its_batch_and_the_organiser_accepts_it_through_the_api(client, bearer):
    officer = make_user("province_officer")
    batch = _draft_batch(officer)
    province = bearer(officer)
    got = client.get(f"/api/v1/batches/{batch.pk}", **province)
    assert got.status_code == 200 and got.json()["nominees"][0]["status"] == "draft"
    refused = client.post(f"/api/v1/batches/{batch.pk}/submit", **province)
    assert refused.status_code == 400 and "công văn" in refused.json()["detail"].lower()
    patched = client.patch(
        f"/api/v1/batches/{batch.pk}",
        {"letter_no": "55/UBND-KT", "letter_date": timezone.localdate().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=got["ETag"],
        **province,
    )
    assert patched.status_code == 200, patched.json()
    stale = client.patch(
        f"/api/v1/batches/{batch.pk}",
        {"letter_no": "56/UBND-KT"},
        content_type="application/json",
        HTTP_IF_MATCH=got["ETag"],
        **province,
    )
    assert stale.status_code == 409
    pdf = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    uploaded = client.post(f"/api/v1/batches/{batch.pk}/letter", {"letter": pdf}, **province)
    assert uploaded.status_code == 200 and uploaded.json()["letter_file"]
    assert client.post(f"/api/v1/batches/{batch.pk}/submit", **province).json()["status"] == "submitted"
    assert client.post(f"/api/v1/batches/{batch.pk}/accept", **province).status_code == 403
    organiser = bearer(_organiser())
    listed = client.get("/api/v1/batches/?status=submitted", **organiser).json()
    assert [b["id"] for b in listed["items"]] == [batch.pk]
    bad = client.post(
        f"/api/v1/batches/{batch.pk}/return", {"note": ""}, content_type="application/json", **organiser
    )
    assert bad.status_code == 400
    accepted = client.post(f"/api/v1/batches/{batch.pk}/accept", **organiser).json()
    assert accepted["status"] == "complete" and accepted["due_on"]
    batch = NominationBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.COMPLETE
    assert batch.dossiers.get().status == DossierStatus.SUBMITTED
    # another province's officer does not even see it
    rival = bearer(make_user("province_officer", province_id=92))
    assert client.get(f"/api/v1/batches/{batch.pk}", **rival).status_code == 404
