"""Sign-in and sign-out pages (thin: the throttling lives in helix.core.auth)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from helix.core.auth import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the sign-out button is a small form with a CSRF token."""

    template_name = "accounts/logged_out.html"
