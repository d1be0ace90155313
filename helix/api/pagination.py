"""Keyset ("cursor") pagination: stays fast deep into a large list (no OFFSET), for every ordering.

DRF's own CursorPagination positions on the first ordering field only and cannot handle NULLs,
so Helix uses a compound keyset: every ordering ends with the primary key, NULLs sort last in
both directions, and the cursor carries the values of every key of the last (or first) row.

Views declare `ordering_options` ({name: (field, ..., "pk-field")}, "-" for descending) and a
`default_ordering`. With a search term (`q`) the default ordering is `relevance`: the rank of
the full-text search (helix.core.search.ranked_search, cast to double precision so the cursor
round-trips exactly) followed by the id, so ranked results are paged like any other list.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

RELEVANCE = "relevance"
RANK_ANNOTATION = "api_rank"
# ranked_search (helix.core.search) annotates the relevance of each match as `rank`.
RANK_ANNOTATION_SOURCE = "rank"


class InvalidCursor(ValidationError):
    default_detail = _("The cursor is invalid or belongs to another ordering.")
    default_code = "invalid_cursor"


class InvalidOrdering(ValidationError):
    default_detail = _("Unknown ordering.")
    default_code = "invalid_ordering"


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _keys(spec: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in spec]


def _after(keys: list[tuple[str, bool]], values: list[Any], forward: bool) -> Q:
    """Rows strictly after (forward) or strictly before (backward) `values` in the ordering.

    NULLs sort last, so a NULL value has nothing after it in its own key, and every non-NULL
    value sorts before NULL.
    """
    (field, desc), *rest = keys
    value = values[0]
    beyond = "lt" if desc == forward else "gt"
    if forward:
        strictly = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__{beyond}": value}) if value is not None else Q(pk__in=[])
    else:
        strictly = Q(**{f"{field}__{beyond}": value}) if value is not None else Q(**{f"{field}__isnull": False})
    if not rest:
        return strictly
    equal = Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})
    return strictly | (equal & _after(rest, values[1:], forward))


def _order_by(keys: list[tuple[str, bool]], forward: bool) -> list[Any]:
    expressions = []
    for field, desc in keys:
        descending = desc == forward
        nulls = {"nulls_last": True} if forward else {"nulls_first": True}
        expressions.append(F(field).desc(**nulls) if descending else F(field).asc(**nulls))
    return expressions


class HelixCursorPagination(BasePagination):
    """Keyset pagination with `cursor`, `page_size` and `ordering` query parameters."""

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"
    default_ordering_options: Mapping[str, Sequence[str]] = {"id": ("id",)}

    def __init__(self) -> None:
        self.request: Request | None = None
        self.next_values: list[Any] | None = None
        self.previous_values: list[Any] | None = None
        self.ordering_name = ""

    # -- configuration taken from the view -------------------------------------------------

    def ordering_options(self, view: Any) -> Mapping[str, Sequence[str]]:
        return getattr(view, "ordering_options", self.default_ordering_options)

    def default_ordering(self, view: Any) -> str:
        return getattr(view, "default_ordering", next(iter(self.ordering_options(view))))

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            return self.page_size
        return max(1, min(size, self.max_page_size))

    # -- paging ----------------------------------------------------------------------------

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        options = dict(self.ordering_options(view))
        searching = RANK_ANNOTATION_SOURCE in queryset.query.annotations
        if searching:
            options[RELEVANCE] = (f"-{RANK_ANNOTATION}", "id")
            queryset = queryset.annotate(**{RANK_ANNOTATION: Cast(RANK_ANNOTATION_SOURCE, FloatField())})
        name = request.query_params.get(self.ordering_query_param) or (RELEVANCE if searching else self.default_ordering(view))
        if name not in options:
            raise InvalidOrdering({self.ordering_query_param: [InvalidOrdering.default_detail]})
        self.ordering_name = name
        keys = _keys(options[name])
        size = self.get_page_size(request)
        forward, position = self._decode_cursor(request, name, len(keys))
        if position is not None:
            try:
                queryset = queryset.filter(_after(keys, position, forward))
            except (DjangoValidationError, ValueError, TypeError):
                raise InvalidCursor({self.cursor_query_param: [InvalidCursor.default_detail]}) from None
        rows = list(queryset.order_by(*_order_by(keys, forward))[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        if not forward:
            rows.reverse()
        values = [[_encode_value(getattr(row, field)) for field, _desc in keys] for row in rows]
        if forward:
            self.next_values = values[-1] if has_more and values else None
            self.previous_values = values[0] if position is not None and values else None
        else:
            self.previous_values = values[0] if has_more and values else None
            self.next_values = values[-1] if values else None
        return rows

    def _decode_cursor(self, request: Request, ordering: str, length: int) -> tuple[bool, list[Any] | None]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return True, None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==").decode("utf-8"))
            direction, name, values = data["d"], data["o"], data["v"]
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
            raise InvalidCursor({self.cursor_query_param: [InvalidCursor.default_detail]}) from None
        if direction not in ("n", "p") or name != ordering or not isinstance(values, list) or len(values) != length:
            raise InvalidCursor({self.cursor_query_param: [InvalidCursor.default_detail]})
        if not all(v is None or isinstance(v, str | int | float) for v in values) or not isinstance(values[-1], int):
            raise InvalidCursor({self.cursor_query_param: [InvalidCursor.default_detail]})
        if any((isinstance(v, int) and abs(v) >= 2**63) or (isinstance(v, str) and "\x00" in v) for v in values):
            raise InvalidCursor({self.cursor_query_param: [InvalidCursor.default_detail]})
        return direction == "n", values

    def _link(self, direction: str, values: list[Any] | None) -> str | None:
        if values is None or self.request is None:
            return None
        token = json.dumps({"d": direction, "o": self.ordering_name, "v": values}, separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(token.encode("utf-8")).decode("ascii").rstrip("=")
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = cursor
        url = self.request.build_absolute_uri(self.request.path)
        return f"{url}?{urlencode(list(params.lists()), doseq=True)}"

    def get_next_link(self) -> str | None:
        return self._link("n", self.next_values)

    def get_previous_link(self) -> str | None:
        return self._link("p", self.previous_values)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "description": "The next page, or null."},
                "previous": {"type": "string", "nullable": True, "format": "uri", "description": "The previous page, or null."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        options = [*self.ordering_options(view)]
        filterset = getattr(view, "filterset_class", None)
        searchable = filterset is not None and "q" in filterset.base_filters
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link (error `invalid_cursor` when tampered with).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": f"Sort order (default `{self.default_ordering(view)}`); ties are broken by id."
                + (f" `{RELEVANCE}` (the default with `q`) sorts by search rank; only valid with `q`." if searchable else ""),
                "schema": {"type": "string", "enum": [*options, RELEVANCE] if searchable else options},
            },
        ]
