"""Uploaded files kept between preview and confirm: `var/imports/<uuid>`, named by a signed token.

The token carries the file id, its original name and the user who uploaded it; it is signed
(and expires), so a client can neither pick another file on disk nor use someone else's upload.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing

SALT = "helix.importing.upload"
MAX_AGE_SECONDS = 24 * 3600


class UploadExpired(Exception):
    pass


def _folder() -> Path:
    folder = Path(getattr(settings, "HELIX_IMPORT_DIR", settings.BASE_DIR / "var" / "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(data: bytes, *, name: str, user_id: int) -> str:
    """Store `data`; returns the token that names it."""
    _purge_old()
    file_id = uuid.uuid4().hex
    (_folder() / file_id).write_bytes(data)
    return signing.dumps({"id": file_id, "name": name[:200], "user": user_id}, salt=SALT)


def load_upload(token: str, *, user_id: int) -> tuple[bytes, str]:
    """The stored bytes and original name for `token`; UploadExpired when invalid, foreign or gone."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise UploadExpired from None
    if payload.get("user") != user_id:
        raise UploadExpired
    path = _folder() / str(uuid.UUID(hex=payload["id"]).hex)
    if not path.is_file():
        raise UploadExpired
    return path.read_bytes(), str(payload["name"])


def delete_upload(token: str) -> None:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return
    (_folder() / str(uuid.UUID(hex=payload["id"]).hex)).unlink(missing_ok=True)


def _purge_old() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
