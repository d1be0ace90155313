"""The OpenAPI description: conventions, error responses and the related-object fields.

`HelixAutoSchema` adds the documented error responses to every operation; the field
extensions describe brief related objects (read) and identifiers (write); `add_conventions`
(a drf-spectacular postprocessing hook) writes the conventions into the description.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.openapi import AutoSchema

from .errors import ERROR_CODES, ErrorSerializer
from .fields import BriefProvinceSerializer, BriefRecordSerializer, TermSerializer

DESCRIPTION = """\
Public, versioned REST API of Helix: the region's smart-city ecosystem (organisations,
municipalities, funding and support instruments, taxonomies and the figures of the 2020 study).

## Conventions

- **Versioned**: every endpoint lives under `/api/v1/`; breaking changes get a new version.
- **Lookup by identifier**: records are addressed by their `slug` (`/api/v1/organisations/imec/`),
  figures by their `key`. Identifiers never change.
- **Brief related objects**: related records read as `{"id", "slug", "name", "url"}` and are
  written as their slug; taxonomy terms read as `{"code", "label_nl", "label_en"}` and are written
  as their code; provinces read as `{"refnis", "name"}` and are written as their REFNIS code.
- **Filters** are the same as on the list pages (one FilterSet per registry); repeat a parameter
  for several values (`?kind=company&kind=municipality`). `q` is a ranked full-text search in
  Dutch and English (stemming, accents ignored, typo-tolerant on names).
- **Cursor pagination**: lists answer `{"next", "previous", "results"}`; follow the links.
  `page_size` (at most 200) and `ordering` are kept in the links. Paging stays fast at any depth.
  With `q` the default ordering is `relevance` (search rank, then id), paged like any other
  ordering; another `ordering` sorts the matches by that field instead.
- **Archived records** (the API's DELETE archives) are invisible (404) except to curators.
- **Writes** need a token (`Authorization: Token <key>`, from `POST /api/v1/auth/token/`) and
  the rights of the user: editors of an organisation edit it and the instruments it offers,
  curators edit everything. Every change is recorded in the history with channel `api`.
- **Optimistic concurrency**: records carry a `version` (also the `ETag` header). Send it back
  as `If-Match: "<version>"` or as the `version` field; if someone saved the record in
  between, the write is refused with 409 `stale_version`.
- **No personal data**: contact persons are never part of the API.

## Errors

Every error body is `{"code", "detail"}`; validation errors add
`"errors": {field: [{"code", "message"}]}`. Codes:

"""


def description() -> str:
    rows = "\n".join(f"- `{code}` ({status}): {meaning}" for code, (status, meaning) in ERROR_CODES.items())
    return DESCRIPTION + rows + "\n"


def postprocess_enums(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular's enum naming, in English like the rest of the description (HelixAutoSchema)."""
    with translation.override("en"):
        return postprocess_schema_enums(result, generator, request=request, public=public)


def add_conventions(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook: the conventions and error codes as the API's description."""
    result["info"]["description"] = description()
    return result


ERROR_STATUSES = {
    "400": "Invalid request (`validation_error`, `invalid_cursor`, `invalid_ordering`, `invalid_if_match`, `parse_error`).",
    "401": "Not signed in (`not_authenticated`, `authentication_failed`).",
    "403": "Missing right (`permission_denied`).",
    "404": "No such record, or archived (`not_found`).",
    "409": "Someone else saved the record first (`stale_version`).",
    "429": "Too many requests (`throttled`).",
}


class HelixAutoSchema(AutoSchema):
    """English labels whatever the active language (the committed file must not depend on it),
    and the error responses each kind of operation can give."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            return super().get_operation(*args, **kwargs)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["400", "429"]
        if self.method != "GET":
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("PUT", "PATCH"):
            codes.append("409")
        for code in codes:
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = ERROR_STATUSES[code]
                responses[code] = body
        return dict(sorted(responses.items()))


class BriefRecordFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "helix.api.fields.BriefRecordField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        if direction == "request":
            return {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "description": "Identifier (slug) of the record."}
        component = auto_schema.resolve_serializer(BriefRecordSerializer, direction)
        return component.ref


class TermFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "helix.api.fields.TermField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        if direction == "request":
            return {"type": "string", "description": f"Code of a term of the scheme `{self.target.scheme}`."}
        component = auto_schema.resolve_serializer(TermSerializer, direction)
        return component.ref


class ProvinceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "helix.api.fields.ProvinceField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        if direction == "request":
            return {"type": "string", "description": "REFNIS code of the province."}
        component = auto_schema.resolve_serializer(BriefProvinceSerializer, direction)
        return component.ref
