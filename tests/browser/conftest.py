"""Headless Chromium (Debian's package) driven by Playwright, with axe-core checks.

Never `playwright install`: it downloads a browser, which this project does not do. The browser
is /usr/bin/chromium (HELIX_CHROMIUM overrides it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HELIX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install chromium` (make test does).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_accessible(axe: Any, page: Any) -> None:
    """Fail with the list of WCAG 2.1 A/AA violations axe-core finds on the current page."""
    results = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    details = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert not violations, f"axe found {len(violations)} accessibility violations on {page.url}:\n" + "\n".join(details)


# --- The region's real data in the live server's database ------------------------------------
#
# Transactional tests flush the database after each test, so every test that needs the
# reference and study data loads it again. `load_reference` + `load_study` take 5-10 s on a
# loaded machine; the first test that asks runs both commands and keeps an exact copy of every
# table they filled in a side schema, and later tests copy those rows back (well under a
# second, same primary keys, triggers off so no history is written twice). Where that is not
# possible (the database user may not disable triggers) or HELIX_BROWSER_NO_SNAPSHOT=1, every
# test runs the two commands.

SNAPSHOT_SCHEMA = "browser_snapshot"
_snapshot: dict[str, Any] = {"tables": None, "disabled": os.environ.get("HELIX_BROWSER_NO_SNAPSHOT") == "1"}


def _load_with_commands() -> None:
    import io

    from django.core.management import call_command

    call_command("load_reference", stdout=io.StringIO())
    call_command("load_study", stdout=io.StringIO())


def _filled_tables() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        names = connection.introspection.django_table_names(only_existing=True, include_views=False)
        filled = []
        for name in sorted(names):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(name)})")  # noqa: S608 (table names from introspection)
            if cursor.fetchone()[0]:
                filled.append(name)
    return filled


def _take_snapshot() -> None:
    from django.db import connection, transaction

    tables = _filled_tables()
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for name in tables:
            cursor.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{q(name)} AS TABLE {q(name)}")
    _snapshot["tables"] = tables


def _restore_snapshot(tables: list[str]) -> None:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Triggers off (history, search vectors, FK checks): the copied rows already hold their results.
        cursor.execute("SET LOCAL session_replication_role = replica")
        # Content types and permissions were recreated by the flush's post_migrate: replace them too.
        cursor.execute("TRUNCATE " + ", ".join(q(t) for t in tables) + " CASCADE")
        for name in tables:
            cursor.execute(f"INSERT INTO {q(name)} SELECT * FROM {SNAPSHOT_SCHEMA}.{q(name)}")  # noqa: S608
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


@pytest.fixture
def study_data(transactional_db: Any) -> None:
    """The reference data (every Belgian municipality, taxonomies) and the 2020 study's
    organisations, memberships and instruments, committed for the live server. Request it
    before creating other rows (users, editors): restoring replaces the tables it filled."""
    from django.db import DatabaseError

    tables = _snapshot["tables"]
    if _snapshot["disabled"] or tables is None:
        _load_with_commands()
        if not _snapshot["disabled"]:
            try:
                _take_snapshot()
            except DatabaseError:
                _snapshot["disabled"] = True
        return
    try:
        _restore_snapshot(tables)
    except DatabaseError:
        _snapshot["disabled"] = True
        _load_with_commands()
