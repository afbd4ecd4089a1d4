"""A form's address opened directly (GET on a POST-only view) answers 405 with a Vietnamese page in the
portal's frame, not Django's empty response."""

import pytest

from agencies.models import Role
from tests.factories import AgencyFactory, user_with_role


@pytest.mark.django_db
def test_a_post_only_address_opened_directly_explains_itself(client):
    client.force_login(user_with_role(Role.LEADERSHIP, AgencyFactory()))
    response = client.get("/awards/list/999/approve/")
    html = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert '<h1 class="h3">Không mở trực tiếp được trang này</h1>' in html
    assert "Hãy quay lại trang trước và thao tác từ đó." in html
    # a machine asking for JSON keeps the plain answer
    plain = client.get("/awards/list/999/approve/", HTTP_ACCEPT="application/json")
    assert plain.status_code == 405 and plain.content == b""
