from django.urls import URLPattern, URLResolver, path

from helix.core import accounts

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
]
