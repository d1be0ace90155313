"""Project-wide pytest configuration: fast password hashing for tests, personas everywhere."""

from __future__ import annotations

from tests.conftest import Cast, cast, client_as  # noqa: F401  (the shared personas, for helix/*/tests too)
from tests.study_data import study_data  # noqa: F401  (real data once per module)


def pytest_configure(config):
    """Tests hash many passwords; MD5 keeps that fast. Production uses Django's default (PBKDF2)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No gc.freeze() in the test process (helix/core/gc_tuning.py): it is no long-running server.
    settings.HELIX_GC_FREEZE = False
