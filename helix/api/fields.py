"""Related-object fields of the API contract.

Related records are shown in a brief form and written by their identifier:
- records (organisations, instruments): read {"id", "slug", "name", "url"}, write the slug;
- taxonomy terms: read {"code", "label_nl", "label_en"}, write the code (within one scheme);
- provinces: read {"refnis", "name"}, write the REFNIS code.
The OpenAPI description shows both directions (helix.api.schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from helix.core.models import Term


class BriefRecordSerializer(serializers.Serializer):
    """Documentation of the brief form of a related record."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField()


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_en = serializers.CharField()


class BriefProvinceSerializer(serializers.Serializer):
    refnis = serializers.CharField()
    name = serializers.CharField()


def reject_nul(value: Any) -> None:
    """PostgreSQL cannot store NUL characters: refuse them as a validation error, not a crash."""
    if isinstance(value, str):
        if "\x00" in value:
            raise serializers.ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_nul(key)
            reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            reject_nul(item)


class IdentifierField(serializers.SlugRelatedField):
    """A related object written by an identifier (slug, code, REFNIS) that is checked before the query."""

    def to_internal_value(self, data: Any) -> Any:
        reject_nul(data)
        return super().to_internal_value(data)


def absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class BriefRecordField(IdentifierField):
    """A related organisation or instrument: brief object out, slug in."""

    def __init__(self, *, view_name: str, name_attr: str = "name", **kwargs: Any) -> None:
        self.view_name = view_name
        self.name_attr = name_attr
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_representation(self, obj: Any) -> Any:
        return {
            "id": obj.pk,
            "slug": obj.slug,
            "name": getattr(obj, self.name_attr),
            "url": absolute(self.context, reverse(self.view_name, kwargs={"slug": obj.slug})),
        }


class TermField(IdentifierField):
    """A term of one scheme: {"code", "label_nl", "label_en"} out, the code in."""

    def __init__(self, *, scheme: str, **kwargs: Any) -> None:
        self.scheme = scheme
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Term.objects.filter(scheme__slug=scheme))
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return Term.objects.filter(scheme__slug=self.scheme)

    def to_representation(self, obj: Any) -> Any:
        return {"code": obj.code, "label_nl": obj.label_nl, "label_en": obj.label_en}


class ProvinceField(IdentifierField):
    """A province: {"refnis", "name"} out, the REFNIS code in."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "refnis")
        super().__init__(**kwargs)

    def to_representation(self, obj: Any) -> Any:
        return {"refnis": obj.refnis, "name": str(obj)}
