"""What the import commands share (import_inventory, import_market): the acting user, the file
guards before anything is parsed, and the JSON answer of a refused file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from .guards import ImportRefused, check_upload


class ImportCommand(BaseCommand):
    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Unknown user {username!r}.") from None

    def _check(self, path: Path) -> Any:
        if not path.is_file():
            raise ImportRefused(f"No file at {path}.")
        if path.stat().st_size > settings.HELIX_IMPORT_MAX_BYTES:
            # Refused by the size guard without reading the file into memory.
            return check_upload(b"\0" * (settings.HELIX_IMPORT_MAX_BYTES + 1), name=path.name)
        return check_upload(path.read_bytes(), name=path.name)

    def _refused(self, message: str, *, as_json: bool) -> None:
        if as_json:
            error = {"sheet": None, "row": None, "column": None, "message": message}
            data = {"sheets": [], "created": 0, "updated": 0, "unchanged": 0, "errors": [error], "refused": True}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
