"""Steps of the one import page (upload -> preview -> confirm) for the browser tests of every import."""

from __future__ import annotations


def preview(client, url: str, upload, **fields):
    """Upload a file: the page answers with the preview (200) and writes nothing."""
    response = client.post(url, {"file": upload, **fields})
    assert response.status_code == 200, response.status_code
    assert response.context["preview"] is not None, [str(e) for e in response.context["errors"]]
    return response


def confirm(client, response, *, url: str | None = None, follow: bool = False):
    """Confirm the preview ``response`` showed (its staged token), at its page or at ``url``."""
    token = response.context["staged"].token
    return client.post(url or response.request["PATH_INFO"], {"token": token}, follow=follow)


def upload_and_confirm(client, url: str, upload, *, follow: bool = False, **fields):
    """Upload, see the preview, confirm: the response of the confirmation."""
    return confirm(client, preview(client, url, upload, **fields), follow=follow)
