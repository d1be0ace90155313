"""The curators' import pages: upload → preview → confirm → result, and who may use them."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helix.actors.models import Organisation

pytestmark = pytest.mark.django_db

CSV = b"name,kind,founded_year\nWeb Import Org,company,2011\n"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.HELIX_IMPORT_DIR = tmp_path
    return tmp_path


def upload(client, data: bytes = CSV, name: str = "orgs.csv"):
    return client.post(reverse("importing:upload"), {"file": SimpleUploadedFile(name, data)})


def test_anonymous_is_sent_to_login_and_editor_is_refused(cast, client_as):
    response = client_as(None).get(reverse("importing:upload"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_as(cast.editor_a).get(reverse("importing:upload")).status_code == 403
    assert upload(client_as(cast.editor_a)).status_code == 403
    assert client_as(cast.editor_a).post(reverse("importing:confirm"), {"token": "x"}).status_code == 403
    assert client_as(cast.curator).get(reverse("importing:upload")).status_code == 200


def test_curator_previews_then_confirms(cast, client_as, upload_dir):
    client = client_as(cast.curator)
    response = upload(client)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Web Import Org" in html
    assert not Organisation.objects.filter(name="Web Import Org").exists()  # preview writes nothing
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    digest = re.search(r'name="digest" value="([^"]+)"', html).group(1)
    result = client.post(reverse("importing:confirm"), {"token": token, "digest": digest})
    assert result.status_code == 200
    batch = re.search(r'<code id="batch">([^<]+)</code>', result.content.decode()).group(1)
    org = Organisation.objects.get(name="Web Import Org")
    assert org.founded_year == 2011
    from pghistory.models import Context

    context = Context.objects.get(metadata__batch=batch)
    assert context.metadata["channel"] == "import"
    assert context.metadata["username"] == "curator"
    # The stored upload is gone after the commit: confirming twice does nothing.
    assert not any(upload_dir.iterdir())
    again = client.post(reverse("importing:confirm"), {"token": token, "digest": digest})
    assert again.status_code == 400
    assert Organisation.objects.filter(name="Web Import Org").count() == 1
    # Undo from the result page.
    undone = client.post(reverse("importing:revert"), {"batch": batch})
    assert undone.status_code == 200
    assert not Organisation.objects.filter(name="Web Import Org").exists()


def test_confirm_after_the_data_changed_shows_the_preview_again(cast, client_as):
    client = client_as(cast.curator)
    location = upload(client)["Location"]
    html = client.get(location).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(reverse("importing:confirm"), {"token": token, "digest": "stale"})
    assert response.status_code == 409
    assert not Organisation.objects.filter(name="Web Import Org").exists()


def test_token_of_another_curator_is_refused(cast, client_as):
    location = upload(client_as(cast.curator))["Location"]
    assert client_as(cast.admin).get(location).status_code == 400


def test_hostile_upload_is_refused_with_a_message(cast, client_as):
    count = Organisation.objects.count()
    response = upload(client_as(cast.curator), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "secret.xlsx")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Organisation.objects.count() == count


def test_preview_lists_errors_and_offers_no_confirm(cast, client_as):
    client = client_as(cast.curator)
    location = upload(client, b"name,kind,founded_year\nBroken,company,someday\n")["Location"]
    html = client.get(location).content.decode()
    assert "founded_year" in html
    confirm_form = html[html.index(f'action="{reverse("importing:confirm")}"') :]
    assert "<button" not in confirm_form[: confirm_form.index("</form>")]
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    digest = re.search(r'name="digest" value="([^"]+)"', html).group(1)
    assert client.post(reverse("importing:confirm"), {"token": token, "digest": digest}).status_code == 400
    assert not Organisation.objects.filter(name="Broken").exists()
