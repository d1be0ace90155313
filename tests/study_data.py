"""The real reference and study data, loaded once per test module and rolled back after it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


class _Rollback(Exception):
    pass


def run_command(command: str) -> str:
    """Run a management command and return what it printed."""
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def study_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """load_reference and load_study, run once in an outer transaction rolled back after the
    module; yields what each command printed."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield {"load_reference": run_command("load_reference"), "load_study": run_command("load_study")}
                raise _Rollback
        except _Rollback:
            pass
