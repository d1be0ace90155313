"""Sign-in with throttling, shared by the site's login page and the Django admin.

Failed attempts are stored per (username, IP) in `LoginFailure`. After
`HELIX_LOGIN_MAX_FAILURES` failures within `HELIX_LOGIN_LOCK_SECONDS`, that pair is locked for
the rest of the window: even the right password is refused, with a message that says so.
Failures are recorded for any username, existing or not, and a locked attempt is answered the
same way for both, so the lock reveals nothing about which accounts exist.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helix.core.models import LoginFailure


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (never trust X-Forwarded-For here)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _normalise(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.HELIX_LOGIN_LOCK_SECONDS)


def seconds_locked(username: str, ip: str | None) -> int:
    """Seconds until `username` may try again from `ip`; 0 when not locked."""
    failures = list(
        LoginFailure.objects.filter(username=_normalise(username), ip=ip, at__gte=_window_start())
        .order_by("-at")
        .values_list("at", flat=True)[: settings.HELIX_LOGIN_MAX_FAILURES]
    )
    if len(failures) < settings.HELIX_LOGIN_MAX_FAILURES:
        return 0
    # Locked until the oldest of the last N failures leaves the window.
    unlock_at = failures[-1] + datetime.timedelta(seconds=settings.HELIX_LOGIN_LOCK_SECONDS)
    return max(1, math.ceil((unlock_at - timezone.now()).total_seconds()))


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=_normalise(username), ip=ip)
    # Keep the table small: older failures no longer count.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def clear_failures(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=_normalise(username), ip=ip).delete()


class ThrottlingMixin:
    """Adds the lock check around AuthenticationForm.clean()."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        ip = client_ip(self.request)
        if username and password:
            wait = seconds_locked(username, ip)
            if wait:
                # Spend about the time of a real check so a lock is not told apart by timing.
                make_password(password)
                minutes = math.ceil(wait / 60)
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                        minutes,
                    )
                    % {"minutes": minutes},
                    code="locked",
                )
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if username and password:
                record_failure(username, ip)
            raise
        clear_failures(username, ip)
        return cleaned


class ThrottledAuthenticationForm(ThrottlingMixin, AuthenticationForm):
    """The site's sign-in form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username and password. Note that both fields may be case-sensitive. "
            "After %(max)s failed attempts, signing in is blocked for a while."
        ),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"username": self.username_field.verbose_name, "max": settings.HELIX_LOGIN_MAX_FAILURES},
        )


class ThrottledAdminAuthenticationForm(ThrottlingMixin, AdminAuthenticationForm):
    """The admin's sign-in form (admin.site.login_form), with the same throttling."""
