"""Machine-readable API errors.

Every error body is `{"code": str, "detail": str}`; validation errors add
`"errors": {field: [{"code": str, "message": str}]}` (errors not tied to a field are listed
under `non_field_errors`). The codes are a stable contract, listed in `ERROR_CODES` and in
docs/api.md. Domain exceptions (Django's ValidationError from `full_clean`, StaleVersion from
helix.core.services) are translated here so views stay thin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from helix.core.services import StaleVersion

# code -> (HTTP status, meaning); documented in the OpenAPI description and docs/api.md.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "validation_error": (400, "The request data or a filter is invalid; see `errors` per field."),
    "invalid_cursor": (400, "The `cursor` is malformed or belongs to another ordering."),
    "invalid_ordering": (400, "Unknown `ordering` (or `relevance` without `q`)."),
    "invalid_if_match": (400, "The `If-Match` header is not a version number."),
    "parse_error": (400, "The request body is not valid JSON."),
    "not_authenticated": (401, "Writes need a token: `Authorization: Token <key>`."),
    "authentication_failed": (401, "The token is unknown or the account is inactive."),
    "permission_denied": (403, "You are signed in but have no right to do this."),
    "not_found": (404, "No such record, or it is archived (only curators see archived records)."),
    "method_not_allowed": (405, "The endpoint does not support this HTTP method."),
    "not_acceptable": (406, "The requested response format is not available."),
    "stale_version": (409, "The record changed since you read it; `current_version` says which version is current."),
    "unsupported_media_type": (415, "Send JSON (`Content-Type: application/json`)."),
    "throttled": (429, "Too many requests; retry later."),
}


class StaleVersionError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record was changed by someone else. Reload it and apply your change again.")
    default_code = "stale_version"

    def __init__(self, current_version: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.current_version = current_version


class InvalidIfMatch(exceptions.ValidationError):
    default_detail = _('If-Match must be the record\'s version, e.g. If-Match: "3".')
    default_code = "invalid_if_match"


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documentation only)."""

    code = serializers.ChoiceField(choices=sorted(ERROR_CODES))
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # documentation only: shadows Serializer.errors
        child=serializers.ListField(child=ErrorDetailSerializer()),
        required=False,
        help_text="Per-field errors (validation errors only).",
    )
    current_version = serializers.IntegerField(required=False, help_text="With `stale_version`: the current version.")


def validation_error_from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """Django's ValidationError (model validators, full_clean) as a DRF error with codes per field."""
    if hasattr(error, "error_dict"):
        details: dict[str, list[exceptions.ErrorDetail]] = {}
        for field, errors in error.error_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            details[key] = [exceptions.ErrorDetail(message, code=e.code or "invalid") for e in errors for message in e.messages]
        return exceptions.ValidationError(details)
    return exceptions.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: [exceptions.ErrorDetail(m, code=error.code or "invalid") for m in error.messages]}
    )


def _field_errors(details: Any, prefix: str = "") -> dict[str, list[dict[str, str]]]:
    """Flatten DRF's nested error details into {"field" or "field.index.sub": [{"code", "message"}]}."""
    if isinstance(details, dict) and not {"code", "message"} <= set(details):
        flat: dict[str, list[dict[str, str]]] = {}
        for key, value in details.items():
            flat.update(_field_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    items = details if isinstance(details, list) else [details]
    errors: list[dict[str, str]] = []
    flat = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and {"code", "message"} <= set(item):
            errors.append({"code": str(item["code"]), "message": str(item["message"])})
        else:
            flat.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    if errors:
        flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = errors
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    elif isinstance(exc, StaleVersion):
        exc = StaleVersionError(current_version=exc.record.version)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        specific = type(exc) is not exceptions.ValidationError
        response.data = {
            "code": exc.default_code if specific else "validation_error",
            "detail": str(exc.default_detail) if specific else str(_("Invalid input.")),
            "errors": _field_errors(exc.get_full_details()),
        }
        return response
    detail = getattr(exc, "detail", None)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"code": code, "detail": str(detail) if detail is not None else str(exc)}
    if isinstance(exc, StaleVersionError):
        response.data["current_version"] = exc.current_version
        response["ETag"] = f'"{exc.current_version}"'
    return response
