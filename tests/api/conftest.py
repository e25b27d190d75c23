import pytest

from khuyencong.api.services import create_token


@pytest.fixture
def bearer():
    """Authorization headers for a user, through a real token."""

    def make(user):
        _token, raw = create_token(user=user, name="tests")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
