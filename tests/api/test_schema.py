"""schemathesis against the OpenAPI schema, through the WSGI app: no 500, every response as documented.

Bounded (a few examples per operation) so the whole run stays well under a minute; authenticated
as a province officer with a token, with a certified product in their province to find.
Schema-valid input may still break a business rule (an unknown province code, a duplicate
code): the API answers 400 with field messages, so "positive data acceptance" is not checked.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from khuyencong.api.services import create_token
from tests.catalogue.factories import certified_product
from tests.factories import make_user

# Routers written in khuyencong/api and khuyencong/catalogue, and the reports router (its query is
# validated: years in range, from ≤ to, no unknown parameters), get every check; routers other apps
# mount themselves get all but the negative-data one, which is their owners' to tighten.
OWN_PREFIXES = (
    "/api/v1/places/",
    "/api/v1/establishments/",
    "/api/v1/products/",
    "/api/v1/rubrics/",
    "/api/v1/rounds/",
    "/api/v1/results/",
    "/api/v1/certificates/",
    "/api/v1/dossiers/",
    "/api/v1/projects/",
    "/api/v1/programmes/",
    "/api/v1/catalogue/",
    "/api/v1/reports/",
)
WSGI_APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGI_APP)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_finished, which closes the DB connection and, on
    PostgreSQL, the test's transaction with it; Django's test client disconnects that handler too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(db):
    certified_product(name="Bánh phồng tôm Năm Căn")
    _token, raw = create_token(user=make_user("province_officer"), name="schemathesis")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_matches_its_schema(case, officer_token):
    excluded = [positive_data_acceptance]
    if not case.operation.path.startswith(OWN_PREFIXES):
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"}, excluded_checks=excluded)
