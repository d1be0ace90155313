from typing import Any

from django.http import HttpRequest

from helix.core.permissions import is_curator


def helix(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"is_curator": bool(user and is_curator(user))}
