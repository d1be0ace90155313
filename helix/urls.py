from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from helix.actors import edit_urls as actors_edit_urls
from helix.actors import urls as actors_urls
from helix.instruments import edit_urls as instruments_edit_urls
from helix.instruments import urls as instruments_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("helix.api.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("helix.core.urls")),
    # Write pages share their app's namespace (a namespace must be included once) and come first,
    # so ".../new/" is not taken for a slug.
    path("", include(([*actors_edit_urls.urlpatterns, *actors_urls.urlpatterns], "actors"))),
    path("", include(([*instruments_edit_urls.urlpatterns, *instruments_urls.urlpatterns], "instruments"))),
    path("", include("helix.projects.urls")),
    path("", include("helix.strategy.urls")),
    path("", include("helix.matching.urls")),
    path("", include("helix.market.urls")),
    path("", include("helix.insights.urls")),
    path("", include("helix.follow.urls")),
    path("", include("helix.maturity.urls")),
    path("accounts/", include("helix.core.accounts_urls")),
    path("history/", include("helix.core.history_urls")),
    path("import/", include("helix.core.importing.urls")),
    path("", include("helix.opendata.quality_urls")),
    path("", include("helix.opendata.urls")),
    path("", include("helix.linkeddata.page_urls")),
    prefix_default_language=False,
)
# Linked data (issue 5): /id/ URIs and /data/ documents are language-independent, so they sit
# outside i18n_patterns and before them.
urlpatterns.insert(0, path("", include("helix.linkeddata.urls")))
