"""Machine-readable API errors: every error body has a stable `code` and a readable `detail`."""

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    detail = getattr(exc, "detail", None)
    if isinstance(detail, dict | list):
        response.data = {"code": code if code != "invalid" else "validation_error", "detail": "Invalid input.", "errors": detail}
    else:
        response.data = {"code": getattr(detail, "code", code) or code, "detail": str(detail) if detail is not None else str(exc)}
    return response
