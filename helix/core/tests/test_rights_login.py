"""Sign-in pages and throttling: N failures for a username from one IP lock it, on the site and
in the admin, with a clear message, for existing and unknown usernames alike."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from helix.core.models import LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def english(settings):
    settings.HELIX_LOGIN_MAX_FAILURES = 3
    settings.HELIX_LOGIN_LOCK_SECONDS = 600
    # English URLs (/en/...) and messages; reverse() follows the active language.
    with translation.override("en"):
        yield


def login(client, username, password, url=None):
    return client.post(url or reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_and_out(cast, client):
    response = login(client, "editor-a", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("actors:organisation-edit", kwargs={"slug": "org-a"})).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code in (200, 302)
    assert client.get(reverse("actors:organisation-edit", kwargs={"slug": "org-a"})).status_code == 302


def test_settings_point_to_the_sign_in_page(settings):
    assert reverse(settings.LOGIN_URL) == reverse("accounts:login")


def test_account_locks_after_max_failures_even_with_the_right_password(cast, client):
    for _ in range(3):
        response = login(client, "editor-a", "wrong password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = login(client, "editor-a", PASSWORD)
    assert response.status_code == 200  # the form again, not a sign-in
    body = response.content.decode()
    assert LOCKED in body
    assert "10 minutes" in body
    assert "_auth_user_id" not in client.session


def test_unknown_usernames_lock_the_same_way(cast, client):
    for _ in range(3):
        login(client, "nobody-here", "whatever")
    response = login(client, "nobody-here", "whatever")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_lock_is_per_ip_and_expires(cast, client):
    for _ in range(3):
        login(client, "editor-a", "wrong password")
    # Another address is not locked.
    other = client.post(reverse("accounts:login"), {"username": "editor-a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    client.logout()
    # Failures older than the window no longer count.
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(seconds=601))
    assert login(client, "editor-a", PASSWORD).status_code == 302


def test_success_clears_failures(cast, client):
    login(client, "editor-a", "wrong password")
    login(client, "editor-a", "wrong password")
    assert login(client, "editor-a", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="editor-a").exists()


def test_admin_sign_in_is_throttled_too(cast, client):
    url = reverse("admin:login")
    for _ in range(3):
        assert login(client, "admin", "wrong password", url).status_code == 200
    response = login(client, "admin", PASSWORD, url)
    assert response.status_code == 200
    # The admin is outside the /en/ prefix, so it answers in Dutch: check the error code.
    assert "locked" in [e.code for e in response.context["form"].errors.as_data()["__all__"]]
    client.post(url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert client.get(reverse("admin:index")).status_code == 200
