from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("helix.api.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("helix.core.urls")),
    path("", include("helix.actors.urls")),
    path("", include("helix.instruments.urls")),
    path("", include("helix.actors.edit_urls")),
    path("", include("helix.instruments.edit_urls")),
    path("accounts/", include("helix.core.accounts_urls")),
    path("history/", include("helix.core.history_urls")),
    path("import/", include("helix.core.importing.urls")),
    prefix_default_language=False,
)
