"""The shared personas (tests/conftest.py) for the tests of this app."""

from tests.conftest import Cast, cast, client_as  # noqa: F401
