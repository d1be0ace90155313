import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_renders_counts(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["organisation_count"] == 0


def test_ensure_admin_creates_one_admin_with_random_password(capsys):
    from django.contrib.auth import get_user_model

    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out
    User = get_user_model()
    assert User.objects.filter(is_superuser=True).count() == 1
    assert "password:" in first
    assert "nothing to do" in second
    password = first.split("password: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)
    assert len(password) >= 20
